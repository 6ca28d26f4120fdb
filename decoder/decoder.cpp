#include "decoder/decoder.h"

#include "core/ops/arith.h"
#include "core/ops/sequence.h"
#include "core/profiler.h"
#include "util/error.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

uint64_t place_seed(uint64_t seed, uint64_t place) { return seed * 0x9E3779B97F4A7C15ull + place; }

Embedding target_embedding(ParamRegistry& params, Parameter* shared, int64_t vocab, int64_t dim,
                           bool tied_output) {
  if (shared) {
    FERRY_CHECK(shared->value.dims() == (Dims{vocab, dim}), InternalError,
                "shared target embeddings " << shared->name << " of dims " << dims_text(shared->value.dims())
                                            << ", expected " << dims_text({vocab, dim}));
    return Embedding(*shared, kPadId);
  }
  // Tied, the table is also the output layer's weight, whose products need small values.
  return Embedding(params, "decoder/embedding", vocab, dim, kPadId,
                   tied_output ? Init::uniform(0.1f) : Init::normal(1.0f));
}

}  // namespace

Decoder::Decoder(ParamRegistry& params, const DecoderConfig& config, int64_t embedding_dim, int64_t vocab,
                 int64_t memory_dim, bool tied_output, Precision precision, uint64_t seed,
                 Parameter* shared_embedding)
    : hidden_(config.hidden),
      lstm_(has_cell_state(config.cell)),
      input_feeding_(config.input_feeding),
      recurrent_dropout_(static_cast<float>(config.recurrent_dropout)),
      embedding_(target_embedding(params, shared_embedding, vocab, embedding_dim, tied_output)) {
  const auto dropout = static_cast<float>(config.dropout);
  FERRY_CHECK(!input_feeding_ || config.attention != AttentionKind::kNone, InternalError,
              "input feeding without attention");
  layers_.resize(static_cast<size_t>(config.layers));
  for (size_t j = 0; j < layers_.size(); ++j) {
    const int64_t input = j == 0 ? embedding_dim + (input_feeding_ ? hidden_ : 0) : hidden_;
    layers_[j].rnn = std::make_unique<RnnLayer>(params, "decoder/l" + std::to_string(j), config.cell, input,
                                                hidden_, precision);
    layers_[j].input_dropout =
        std::make_unique<Dropout>(dropout, place_seed(seed, 200 + j),
                                  config.variational ? DropoutMask::kPerSequence : DropoutMask::kPerElement);
    layers_[j].recurrent_dropout =
        std::make_unique<Dropout>(recurrent_dropout_, place_seed(seed, 250 + j));
  }
  if (!input_feeding_ && !layers_.empty()) {
    const RnnWeights& first = layers_.front().rnn->weights();
    token_step_ = std::make_unique<TokenInputStep>(config.cell, precision, embedding_.table(),
                                                   first.weights_layer(), first.weights_iter(), first.bias());
  }
  if (config.attention != AttentionKind::kNone) {
    attention_ = std::make_unique<Attention>(params, config.attention, hidden_, memory_dim, precision);
    combine_ = std::make_unique<Linear>(params, "decoder/combine", memory_dim + hidden_, hidden_, true,
                                        Linear::Activation::kTanh, precision);
    combine_step_ = std::make_unique<CombineStep>(*combine_, memory_dim, precision);
  }
  output_dropout_ = std::make_unique<Dropout>(dropout, place_seed(seed, 300));
}

void DecoderState::gather_rows(const std::vector<int>& rows, DecoderState& scratch) {
  const auto gather = [&](Tensor& t, Tensor& old) {
    old.resize({static_cast<int64_t>(rows.size()), t.dim(1)});
    ferry::gather_rows(t, rows, old);
    std::swap(t, old);
  };
  scratch.h.resize(h.size());
  scratch.c.resize(c.size());
  for (size_t j = 0; j < h.size(); ++j) {
    gather(h[j], scratch.h[j]);
    if (!c[j].empty()) gather(c[j], scratch.c[j]);
  }
  if (!feed.empty()) gather(feed, scratch.feed);
}

void Decoder::set_dropout_step(uint64_t step) {
  for (Layer& layer : layers_) {
    layer.input_dropout->set_calls(step);
    layer.recurrent_dropout->set_calls(step);
  }
  output_dropout_->set_calls(step);
}

void Decoder::forward(const std::vector<int>& tgt_in, int64_t steps, const DecoderState& initial,
                      const Tensor& memory, const std::vector<int>& lengths, bool training, Tensor& out,
                      DecoderState* final_state) {
  const int64_t batch = initial.h.front().dim(0);
  FERRY_CHECK(static_cast<int64_t>(tgt_in.size()) == steps * batch, InternalError,
              "decoder: " << tgt_in.size() << " ids for " << steps << " x " << batch);
  {
    ProfileScope scope(Part::kDecoderRnn);
    ids_.assign(tgt_in.begin(), tgt_in.end());
    embedding_.forward(ids_, embedded_);
    embedded_ = embedded_.reshaped({steps, batch, embedding_.dim()});
    stepped_ = input_feeding_ || (training && recurrent_dropout_ > 0.0f);
    if (stepped_) layers_.front().input_dropout->forward(embedded_, training);
  }
  if (stepped_) {
    FERRY_CHECK(!final_state, InternalError, "the final state of a decoder run step by step");
    forward_steps(steps, initial, memory, lengths, training, out);
    return;
  }
  {
    ProfileScope scope(Part::kDecoderRnn);
    Tensor no_state;
    if (final_state) {
      final_state->h.resize(layers_.size());
      final_state->c.resize(layers_.size());
    }
    for (size_t j = 0; j < layers_.size(); ++j) {
      Layer& layer = layers_[j];
      const Tensor& below = j == 0 ? embedded_ : layers_[j - 1].output;
      layer.input.resize(below.dims());
      layer.input.copy_from(below);
      layer.input_dropout->forward(layer.input, training);
      layer.output.resize({steps, batch, hidden_});
      const Tensor& c0 = lstm_ ? initial.c[j] : no_state;
      Tensor* h_last = final_state ? &final_state->h[j] : &no_state;
      Tensor* c_last = final_state && lstm_ ? &final_state->c[j] : &no_state;
      if (final_state) {
        h_last->resize({batch, hidden_});
        if (lstm_) c_last->resize({batch, hidden_});
      }
      if (training) {
        layer.rnn->forward_training(layer.input, initial.h[j], c0, layer.output, *c_last);
        if (final_state) h_last->copy_from(layer.output.slice(steps - 1, steps).reshaped({batch, hidden_}));
      } else {
        layer.rnn->forward_inference(layer.input, initial.h[j], c0, layer.output, *h_last, *c_last);
      }
    }
  }
  ProfileScope scope(Part::kAttention);
  const Tensor& top = layers_.back().output;
  if (attention_) {
    attention_->forward(top, memory, lengths, context_);
    joined_.resize({steps, batch, context_.dim(2) + hidden_});
    concat_channels(context_, top, joined_);
    combine_->forward(joined_, combined_);
  } else {
    combined_.resize(top.dims());
    combined_.copy_from(top);
  }
  out.resize(combined_.dims());
  out.copy_from(combined_);
  output_dropout_->forward(out, training);
}

void Decoder::backward(const Tensor& d_out, DecoderState& d_initial, Tensor& d_memory) {
  if (stepped_) {
    backward_steps(d_out, d_initial, d_memory);
    return;
  }
  Tensor& d_top = d_top_;
  {
    ProfileScope scope(Part::kAttention);
    d_combined_.resize(d_out.dims());
    d_combined_.copy_from(d_out);
    output_dropout_->backward(d_combined_);
    d_top.resize(layers_.back().output.dims());
    if (attention_) {
      d_joined_.resize(joined_.dims());
      combine_->backward(joined_, combined_, d_combined_, &d_joined_);
      d_context_.resize(context_.dims());
      split_channels(d_joined_, d_context_, d_top);
      attention_->backward(d_context_, d_top, d_memory);
    } else {
      d_top.copy_from(d_combined_);
    }
  }
  ProfileScope scope(Part::kDecoderRnn);
  d_initial.h.resize(layers_.size());
  d_initial.c.resize(layers_.size());
  for (size_t j = layers_.size(); j-- > 0;) {
    Layer& layer = layers_[j];
    const Tensor& d_output = j + 1 == layers_.size() ? d_top : layers_[j + 1].d_input;
    layer.d_input.resize(layer.input.dims());
    const int64_t batch = layer.input.dim(1);
    d_initial.h[j].resize({batch, hidden_});
    if (lstm_) {
      d_initial.c[j].resize({batch, hidden_});
    } else {
      d_initial.c[j] = Tensor();
    }
    layer.rnn->backward(d_output, layer.d_input, d_initial.h[j], d_initial.c[j]);
    layer.input_dropout->backward(layer.d_input);
  }
  const Tensor& d_embedded = layers_.front().d_input;
  embedding_.backward(ids_, d_embedded.reshaped({d_embedded.dim(0) * d_embedded.dim(1), embedding_.dim()}));
}

void Decoder::prepare(const Tensor& memory, const std::vector<int>& lengths, Attention::Memory& prepared) {
  if (attention_) {
    attention_->prepare(memory, lengths, prepared);
    // The steps' attention sums the states' projections by the combine layer's context part.
    Tensor projected;
    combine_step_->project_memory(memory, projected);
    prepared.values = projected;
  } else {
    prepared.values = memory;
    prepared.lengths.assign(lengths.begin(), lengths.end());
  }
}

void Decoder::step(const std::vector<int>& tokens, const Attention::Memory& prepared,
                   int64_t rows_per_sentence, DecoderState& state, Tensor& out, Tensor& attention_weights) {
  const auto rows = static_cast<int64_t>(tokens.size());
  step_ids_.assign(tokens.begin(), tokens.end());
  Tensor no_state;
  size_t first_layer = 0;
  Tensor input;
  if (token_step_) {
    token_step_->step(step_ids_, state.h[0], lstm_ ? state.c[0] : no_state);
    first_layer = 1;
    input = state.h[0].reshaped({1, rows, hidden_});
  } else {
    embedding_.forward(step_ids_, step_embedded_);
    input = step_embedded_.reshaped({1, rows, embedding_.dim()});
  }
  if (input_feeding_) {
    FERRY_CHECK(state.feed.dims() == (Dims{rows, hidden_}), InternalError,
                "decoder step: fed attentional output of dims " << dims_text(state.feed.dims()) << " for "
                                                                << rows << " rows");
    step_input_.resize({1, rows, embedding_.dim() + hidden_});
    concat_channels(input, state.feed.reshaped({1, rows, hidden_}), step_input_);
    input = step_input_;
  }
  for (size_t j = first_layer; j < layers_.size(); ++j) {
    step_output_.resize({1, rows, hidden_});
    Tensor& c = lstm_ ? state.c[j] : no_state;
    layers_[j].rnn->forward_inference(input, state.h[j], c, step_output_, state.h[j], c);
    input = state.h[j].reshaped({1, rows, hidden_});
  }
  const Tensor& top = state.h.back();
  if (!attention_) {
    out.resize(top.dims());
    out.copy_from(top);
    return;
  }
  attention_->step(prepared, top, rows_per_sentence, step_context_, attention_weights);
  combine_step_->step(step_context_, top, out);
  if (input_feeding_) state.feed.copy_from(out);
}

}  // namespace ferry
