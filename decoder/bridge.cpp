#include "decoder/bridge.h"

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
  inputs_ = final_h;
  h0.resize(decoder_layers_);
  c0.resize(decoder_layers_);
  for (size_t j = 0; j < h0.size(); ++j) {
    h0[j].resize({batch, hidden_});
    if (lstm_) {
      c0[j].resize({batch, hidden_});
    } else {
      c0[j] = Tensor();
    }
    if (!to_h_) {
      h0[j].zero();
      if (lstm_) c0[j].zero();
      continue;
    }
    to_h_->forward(final_h[source_layer(j)], h0[j]);
    if (lstm_) to_c_->forward(final_h[source_layer(j)], c0[j]);
  }
  h0_ = h0;
  c0_ = c0;
}

void Bridge::backward(const std::vector<Tensor>& d_h0, const std::vector<Tensor>& d_c0,
                      std::vector<Tensor>& d_final_h) {
  if (!to_h_) return;
  for (size_t j = 0; j < d_h0.size(); ++j) {
    const size_t source = source_layer(j);
    if (!d_h0[j].empty()) {
      d_scratch_.resize(d_h0[j].dims());
      d_scratch_.copy_from(d_h0[j]);
      to_h_->backward(inputs_[source], h0_[j], d_scratch_, &d_final_h[source], WriteMode::kAccumulate);
    }
    if (lstm_ && j < d_c0.size() && !d_c0[j].empty()) {
      d_scratch_.resize(d_c0[j].dims());
      d_scratch_.copy_from(d_c0[j]);
      to_c_->backward(inputs_[source], c0_[j], d_scratch_, &d_final_h[source], WriteMode::kAccumulate);
    }
  }
}

}  // namespace ferry
