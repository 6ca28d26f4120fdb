#include "decoder/bridge.h"

#include "core/ops/arith.h"
#include "util/error.h"

namespace ferry {

Bridge::Bridge(ParamRegistry& params, const DecoderConfig& decoder, int64_t encoder_width, int64_t encoder_layers,
               Precision precision)
    : decoder_layers_(decoder.layers),
      encoder_layers_(encoder_layers),
      hidden_(decoder.hidden),
      lstm_(has_cell_state(decoder.cell)) {
  if (decoder.bridge != BridgeKind::kDense) return;
  to_h_ = std::make_unique<Linear>(params, "bridge/h", encoder_width, hidden_, true, Linear::Activation::kTanh,
                                   precision);
  if (lstm_)
    to_c_ = std::make_unique<Linear>(params, "bridge/c", encoder_width, hidden_, true, Linear::Activation::kNone,
                                     precision);
}

size_t Bridge::source_layer(size_t decoder_layer) const {
  return encoder_layers_ == decoder_layers_ ? decoder_layer : static_cast<size_t>(encoder_layers_ - 1);
}

void Bridge::forward(const std::vector<Tensor>& final_h, std::vector<Tensor>& h0, std::vector<Tensor>& c0) {
  FERRY_CHECK(static_cast<int64_t>(final_h.size()) == encoder_layers_, InternalError,
              "bridge: " << final_h.size() << " encoder layers, expected " << encoder_layers_);
  const int64_t batch = final_h.front().dim(0);
  h0.resize(decoder_layers_);
  c0.resize(decoder_layers_);
  for (Tensor& h : h0) h.resize({batch, hidden_});
  for (Tensor& c : c0) {
    if (lstm_) {
      c.resize({batch, hidden_});
    } else {
      c = Tensor();
    }
  }
  if (!to_h_) {
    for (Tensor& h : h0) h.zero();
    if (lstm_) {
      for (Tensor& c : c0) c.zero();
    }
    return;
  }
  // Every decoder layer's input in one {layers, N, D} tensor: one product per weight for all layers.
  stacked_in_.resize({decoder_layers_, batch, final_h.front().dim(1)});
  for (int64_t j = 0; j < decoder_layers_; ++j) {
    Tensor layer = stacked_in_.slice(j, j + 1);
    layer.copy_from(final_h[source_layer(static_cast<size_t>(j))]);
  }
  to_h_->forward(stacked_in_, stacked_h_);
  if (lstm_) to_c_->forward(stacked_in_, stacked_c_);
  for (int64_t j = 0; j < decoder_layers_; ++j) {
    h0[static_cast<size_t>(j)].copy_from(stacked_h_.slice(j, j + 1));
    if (lstm_) c0[static_cast<size_t>(j)].copy_from(stacked_c_.slice(j, j + 1));
  }
}

void Bridge::backward(const std::vector<Tensor>& d_h0, const std::vector<Tensor>& d_c0,
                      std::vector<Tensor>& d_final_h) {
  if (!to_h_) return;
  backward_stacked(*to_h_, stacked_h_, d_h0, d_final_h);
  if (lstm_) backward_stacked(*to_c_, stacked_c_, d_c0, d_final_h);
}

void Bridge::backward_stacked(Linear& linear, const Tensor& stacked_out, const std::vector<Tensor>& d_out,
                              std::vector<Tensor>& d_final_h) {
  d_stacked_out_.resize(stacked_out.dims());
  bool any = false;
  for (int64_t j = 0; j < decoder_layers_; ++j) {
    const auto layer = static_cast<size_t>(j);
    Tensor d_layer = d_stacked_out_.slice(j, j + 1);
    if (layer < d_out.size() && !d_out[layer].empty()) {
      d_layer.copy_from(d_out[layer]);
      any = true;
    } else {
      d_layer.zero();  // no gradient: zero rows add nothing to the weights' gradients
    }
  }
  if (!any) return;
  linear.backward(stacked_in_, stacked_out, d_stacked_out_, &d_stacked_in_);
  for (int64_t j = 0; j < decoder_layers_; ++j) {
    Tensor& d_source = d_final_h[source_layer(static_cast<size_t>(j))];
    add_in_place(d_source, d_stacked_in_.slice(j, j + 1).reshaped(d_source.dims()));
  }
}

}  // namespace ferry
