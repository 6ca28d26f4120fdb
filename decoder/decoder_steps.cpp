// The decoder's pass one step at a time, forward in order and backward last step first: with input feeding
// (training and scoring), whose first layer's input at step t holds the attentional output of step t - 1,
// and in training with recurrent dropout, whose masked state between steps the whole-sequence RNN
// primitives cannot take.
#include "core/ops/arith.h"
#include "core/ops/sequence.h"
#include "core/profiler.h"
#include "decoder/decoder.h"
#include "util/error.h"

namespace ferry {

void Decoder::StepMask::draw(Dropout& dropout, const Dims& dims, bool training) {
  active = training && dropout.rate() > 0.0f;
  if (!active) return;
  values.resize(dims);
  values.fill(1.0f);
  dropout.forward(values, true);
}

void Decoder::StepMask::apply(int64_t t, Tensor& x) const {
  if (active) multiply_in_place(x, values.slice(t, t + 1));
}

void Decoder::forward_steps(int64_t steps, const DecoderState& initial, const Tensor& memory,
                            const std::vector<int>& lengths, bool training, Tensor& out) {
  const int64_t batch = initial.h.front().dim(0);
  const int64_t width = embedding_.dim() + (input_feeding_ ? hidden_ : 0);
  const Dims state_dims = {batch, hidden_};
  const size_t layers = layers_.size();
  Tensor no_state;
  between_masks_.resize(layers);
  for (size_t j = 1; j < layers; ++j)
    between_masks_[j].draw(*layers_[j].input_dropout, {steps, batch, hidden_}, training);
  output_mask_.draw(*output_dropout_, {steps, batch, hidden_}, training);
  step_h_.resize(layers);
  step_c_.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    const Tensor& c0 = lstm_ ? initial.c[j] : no_state;
    if (training) {
      Layer& layer = layers_[j];
      const bool masked = recurrent_dropout_ > 0.0f;
      if (masked) {  // one mask per sentence and layer, the same at every step
        layer.recurrent_mask.resize(state_dims);
        layer.recurrent_mask.fill(1.0f);
        layer.recurrent_dropout->forward(layer.recurrent_mask, true);
      }
      layer.rnn->begin_steps(steps, batch, initial.h[j], c0, masked ? layer.recurrent_mask : no_state);
      continue;
    }
    step_h_[j].resize(state_dims);
    step_h_[j].copy_from(initial.h[j]);
    if (lstm_) {
      step_c_[j].resize(state_dims);
      step_c_[j].copy_from(c0);
    }
  }
  if (attention_) {
    attention_->begin_steps(memory, lengths, steps);
    context_.resize({steps, batch, memory.dim(2)});
    joined_.resize({steps, batch, memory.dim(2) + hidden_});
  }
  tops_.resize({steps, batch, hidden_});
  combined_.resize({steps, batch, hidden_});
  out.resize({steps, batch, hidden_});
  step_input_.resize({1, batch, width});
  step_feed_zero_.resize({1, batch, hidden_});
  step_feed_zero_.zero();
  for (Tensor& below : step_below_) below.resize(state_dims);

  for (int64_t t = 0; t < steps; ++t) {
    {
      ProfileScope scope(Part::kDecoderRnn);
      Tensor input;
      if (input_feeding_) {
        concat_channels(embedded_.slice(t, t + 1), t == 0 ? step_feed_zero_ : out.slice(t - 1, t),
                        step_input_);
        input = step_input_.reshaped({batch, width});
      } else {
        input = embedded_.slice(t, t + 1).reshaped({batch, width});
      }
      for (size_t j = 0; j < layers; ++j) {
        Tensor h = j + 1 == layers ? tops_.slice(t, t + 1).reshaped(state_dims) : step_below_[j % 2];
        if (training) {
          layers_[j].rnn->forward_step(input, h);
        } else {
          Tensor& c = lstm_ ? step_c_[j] : no_state;
          Tensor h_steps = h.reshaped({1, batch, hidden_});
          layers_[j].rnn->forward_inference(input.reshaped({1, batch, input.dim(1)}), step_h_[j], c, h_steps,
                                            step_h_[j], c);
        }
        if (j + 1 < layers) between_masks_[j + 1].apply(t, h);
        input = h;
      }
    }
    ProfileScope scope(Part::kAttention);
    Tensor a = combined_.slice(t, t + 1);
    attend_step(t, tops_.slice(t, t + 1).reshaped(state_dims), a);
    Tensor out_t = out.slice(t, t + 1);
    out_t.copy_from(a);
    output_mask_.apply(t, out_t);
  }
}

void Decoder::attend_step(int64_t t, const Tensor& top, Tensor& a) {
  if (!attention_) {
    a.copy_from(top);
    return;
  }
  const int64_t batch = top.dim(0), memory_dim = context_.dim(2);
  Tensor context = context_.slice(t, t + 1).reshaped({batch, memory_dim});
  attention_->forward_step(top, context);
  Tensor joined = joined_.slice(t, t + 1);
  concat_channels(context.reshaped({1, batch, memory_dim}), top.reshaped({1, batch, hidden_}), joined);
  combine_->forward(joined, a);
}

void Decoder::backward_steps(const Tensor& d_out, DecoderState& d_initial, Tensor& d_memory) {
  const int64_t steps = d_out.dim(0), batch = d_out.dim(1), memory_dim = attention_ ? context_.dim(2) : 0;
  const int64_t embedding_dim = embedding_.dim(), width = embedding_dim + (input_feeding_ ? hidden_ : 0);
  const Dims state_dims = {batch, hidden_};
  const size_t layers = layers_.size();
  Tensor& d_embedded = layers_.front().d_input;
  d_embedded.resize({steps, batch, embedding_dim});
  step_d_feed_.resize({1, batch, hidden_});
  step_d_feed_.zero();
  step_d_out_.resize({1, batch, hidden_});
  if (attention_) {
    d_joined_.resize({1, batch, memory_dim + hidden_});
    d_context_.resize({1, batch, memory_dim});
  }
  d_top_.resize({1, batch, hidden_});
  step_d_input_.resize({batch, width});
  for (Tensor& d_below : step_d_below_) d_below.resize(state_dims);

  for (int64_t t = steps; t-- > 0;) {
    {
      ProfileScope scope(Part::kAttention);
      // The step's output went both to the loss and, fed, into the next step.
      step_d_out_.copy_from(d_out.slice(t, t + 1));
      add_in_place(step_d_out_, step_d_feed_);
      Tensor d_a = step_d_out_.reshaped(state_dims);
      output_mask_.apply(t, d_a);
      if (attention_) {
        combine_->backward(joined_.slice(t, t + 1), combined_.slice(t, t + 1), step_d_out_, &d_joined_);
        split_channels(d_joined_, d_context_, d_top_);
        Tensor d_top = d_top_.reshaped(state_dims);
        attention_->backward_step(d_context_.reshaped({batch, memory_dim}), d_top, d_memory);
      } else {
        d_top_.copy_from(step_d_out_);
      }
    }
    ProfileScope scope(Part::kDecoderRnn);
    Tensor d_h = d_top_.reshaped(state_dims);
    for (size_t j = layers; j-- > 0;) {
      Tensor d_input = j == 0 ? step_d_input_ : step_d_below_[j % 2];
      layers_[j].rnn->backward_step(d_h, d_input);
      if (j > 0) between_masks_[j].apply(t, d_input);
      d_h = d_input;
    }
    Tensor d_embedded_t = d_embedded.slice(t, t + 1);
    if (input_feeding_) {
      split_channels(step_d_input_.reshaped({1, batch, width}), d_embedded_t, step_d_feed_);
    } else {
      d_embedded_t.copy_from(step_d_input_.reshaped({1, batch, width}));
    }
  }
  if (attention_) attention_->end_backward_steps(d_memory);
  d_initial.h.resize(layers);
  d_initial.c.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    d_initial.h[j].resize(state_dims);
    if (lstm_) {
      d_initial.c[j].resize(state_dims);
    } else {
      d_initial.c[j] = Tensor();
    }
    layers_[j].rnn->initial_state_gradient(d_initial.h[j], d_initial.c[j]);
  }
  layers_.front().input_dropout->backward(d_embedded);
  embedding_.backward(ids_, d_embedded.reshaped({steps * batch, embedding_dim}));
}

}  // namespace ferry
