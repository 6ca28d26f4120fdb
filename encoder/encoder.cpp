#include "encoder/encoder.h"

#include <cstring>

#include <omp.h>

#include "core/context.h"
#include "core/ops/arith.h"
#include "core/ops/sequence.h"
#include "util/error.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

uint64_t place_seed(uint64_t seed, uint64_t place) { return seed * 0x9E3779B97F4A7C15ull + place; }

// Whether the two directions of a layer's training passes run at the same time, one thread each. Their
// small per-step products use one thread better than two: on two threads the encoder's training passes
// take about 15% less time this way. With more threads the directions run one after the other on all of
// them, since oneDNN does not nest its threads inside ours. Decided per call from the thread count, which
// the primitives of these passes are then always created and run with.
bool directions_together() { return Context::threads() == 2; }

// Runs `forward` and `backward` (the two directions' work, independent of each other) on a team of two
// threads of one thread each, or one after the other.
template <typename Forward, typename Backward>
void run_directions(bool together, const Forward& forward, const Backward& backward) {
  if (!together) {
    forward();
    backward();
    return;
  }
#pragma omp parallel num_threads(2)
  {
    Context::set_threads(1);  // this thread's own, for the primitives created inside
    if (omp_get_thread_num() == 0) {
      forward();
    } else {
      backward();
    }
  }
}

}  // namespace

Encoder::Encoder(ParamRegistry& params, const EncoderConfig& config, int64_t embedding_dim, int64_t vocab,
                 Precision precision, uint64_t seed, Init embedding_init)
    : config_(config),
      hidden_(config.hidden),
      output_dim_(config.output_dim()),
      embedding_(params, "encoder/embedding", vocab, embedding_dim, kPadId, embedding_init) {
  layers_.resize(static_cast<size_t>(config.layers));
  for (size_t l = 0; l < layers_.size(); ++l) {
    const int64_t input = l == 0 ? embedding_dim : output_dim_;
    const std::string scope = "encoder/l" + std::to_string(l);
    layers_[l].forward_rnn =
        std::make_unique<RnnLayer>(params, scope + "/fw", config.cell, input, hidden_, precision);
    if (config.bidirectional)
      layers_[l].backward_rnn =
          std::make_unique<RnnLayer>(params, scope + "/bw", config.cell, input, hidden_, precision);
    layers_[l].input_dropout =
        std::make_unique<Dropout>(static_cast<float>(config.dropout), place_seed(seed, 100 + l),
                                  config.variational ? DropoutMask::kPerSequence : DropoutMask::kPerElement);
  }
}

void Encoder::set_dropout_step(uint64_t step) {
  for (Layer& layer : layers_) layer.input_dropout->set_calls(step);
}

void Encoder::forward(const std::vector<int>& src, int64_t steps, const std::vector<int>& lengths, bool training,
                      EncoderOutput& out) {
  const auto batch = static_cast<int64_t>(lengths.size());
  FERRY_CHECK(static_cast<int64_t>(src.size()) == steps * batch, InternalError,
              "encoder: " << src.size() << " ids for " << steps << " x " << batch);
  ids_.assign(src.begin(), src.end());
  lengths_ = lengths;
  embedding_.forward(ids_, embedded_);
  embedded_ = embedded_.reshaped({steps, batch, embedding_.dim()});

  out.final_h.resize(layers_.size());
  for (size_t l = 0; l < layers_.size(); ++l) {
    Layer& layer = layers_[l];
    const Tensor& below = l == 0 ? embedded_ : layers_[l - 1].output;
    layer.input.resize(below.dims());
    layer.input.copy_from(below);
    layer.input_dropout->forward(layer.input, training);
    run_layer(layer, l, lengths, training);
    out.final_h[l].resize({batch, output_dim_});
    read_final_states(layer, lengths, out.final_h[l]);
  }
  out.states = layers_.back().output;
  out.lengths = lengths;
}

void Encoder::run_layer(Layer& layer, size_t index, const std::vector<int>& lengths, bool training) {
  const int64_t steps = layer.input.dim(0), batch = layer.input.dim(1);
  const Tensor none;
  Tensor no_state;
  const auto run = [&](RnnLayer& rnn, const Tensor& src, Tensor& dst) {
    if (training) {
      rnn.forward_training(src, none, none, dst);
    } else {
      rnn.forward_inference(src, none, none, dst, no_state, no_state);
    }
  };
  layer.fw_out.resize({steps, batch, hidden_});
  const auto forward = [&] { run(*layer.forward_rnn, layer.input, layer.fw_out); };
  if (layer.backward_rnn) {
    layer.reversed.resize(layer.input.dims());
    layer.bw_out_reversed.resize({steps, batch, hidden_});
    layer.bw_out.resize({steps, batch, hidden_});
    run_directions(training && directions_together(), forward, [&] {
      reverse_within_lengths(layer.input, lengths, layer.reversed);
      run(*layer.backward_rnn, layer.reversed, layer.bw_out_reversed);
      reverse_within_lengths(layer.bw_out_reversed, lengths, layer.bw_out);
    });
    layer.output.resize({steps, batch, output_dim_});
    concat_channels(layer.fw_out, layer.bw_out, layer.output);
  } else {
    forward();
    layer.output.resize({steps, batch, output_dim_});
    layer.output.copy_from(layer.fw_out);
  }
  zero_after_lengths(layer.output, lengths);
  if (config_.residual && index > 0) add_in_place(layer.output, layers_[index - 1].output);
}

void Encoder::read_final_states(const Layer& layer, const std::vector<int>& lengths, Tensor& final_h) const {
  const int64_t batch = static_cast<int64_t>(lengths.size());
  const float* fw = layer.fw_out.data();
  float* to = final_h.data();
  for (int64_t n = 0; n < batch; ++n) {
    std::memcpy(to + n * output_dim_, fw + ((lengths[n] - 1) * batch + n) * hidden_, hidden_ * sizeof(float));
    if (layer.backward_rnn)
      std::memcpy(to + n * output_dim_ + hidden_, layer.bw_out.data() + n * hidden_, hidden_ * sizeof(float));
  }
}

void Encoder::add_final_state_gradients(Layer& layer, const Tensor& d_final_h,
                                        const std::vector<int>& lengths) const {
  const int64_t batch = static_cast<int64_t>(lengths.size());
  const float* g = d_final_h.data();
  for (int64_t n = 0; n < batch; ++n) {
    float* fw = layer.d_fw.data() + ((lengths[n] - 1) * batch + n) * hidden_;
    for (int64_t c = 0; c < hidden_; ++c) fw[c] += g[n * output_dim_ + c];
    if (layer.backward_rnn) {
      float* bw = layer.d_bw.data() + n * hidden_;
      for (int64_t c = 0; c < hidden_; ++c) bw[c] += g[n * output_dim_ + hidden_ + c];
    }
  }
}

void Encoder::backward(const Tensor& d_states, const std::vector<Tensor>& d_final_h) {
  const int64_t steps = d_states.dim(0), batch = d_states.dim(1);
  const std::vector<int>& lengths = lengths_;
  Tensor& d_output = d_output_;
  d_output.resize(d_states.dims());
  d_output.copy_from(d_states);
  for (size_t l = layers_.size(); l-- > 0;) {
    Layer& layer = layers_[l];
    zero_after_lengths(d_output, lengths);

    Tensor none;
    layer.d_fw.resize({steps, batch, hidden_});
    layer.d_input.resize(layer.input.dims());
    if (layer.backward_rnn) {
      layer.d_bw.resize({steps, batch, hidden_});
      split_channels(d_output, layer.d_fw, layer.d_bw);
    } else {
      layer.d_fw.copy_from(d_output);
    }
    if (l < d_final_h.size() && !d_final_h[l].empty()) add_final_state_gradients(layer, d_final_h[l], lengths);
    const auto forward = [&] { layer.forward_rnn->backward(layer.d_fw, layer.d_input, none, none); };
    if (layer.backward_rnn) {
      layer.d_bw_reversed.resize({steps, batch, hidden_});
      layer.d_reversed.resize(layer.input.dims());
      layer.d_reversed_back.resize(layer.input.dims());
      run_directions(directions_together(), forward, [&] {
        Tensor no_state;  // its own, not `none`: the two directions may run at once
        reverse_within_lengths(layer.d_bw, lengths, layer.d_bw_reversed);
        layer.backward_rnn->backward(layer.d_bw_reversed, layer.d_reversed, no_state, no_state);
        reverse_within_lengths(layer.d_reversed, lengths, layer.d_reversed_back);
      });
      add_in_place(layer.d_input, layer.d_reversed_back);
    } else {
      forward();
    }
    layer.input_dropout->backward(layer.d_input);
    if (config_.residual && l > 0) add_in_place(layer.d_input, d_output);
    if (l > 0) {
      d_output.resize(layer.d_input.dims());
      d_output.copy_from(layer.d_input);
    }
  }
  const Tensor& d_embedded = layers_.front().d_input;
  embedding_.backward(ids_, d_embedded.reshaped({steps * batch, embedding_.dim()}));
}

}  // namespace ferry
