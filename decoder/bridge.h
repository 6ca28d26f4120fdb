// The bridge: the decoder's initial state from the encoder's final states. Decoder layer j starts from
// encoder layer j when both stacks have the same depth, else from the top encoder layer:
// h0 = tanh(W_h [h_fw; h_bw] + b_h), and for an LSTM decoder c0 = W_c [h_fw; h_bw] + b_c, with W shared
// across layers. `bridge: zero` starts every layer from zeros. Only final h is used: it is exact for every
// sentence length (see the encoder), the final LSTM cell state is not.
#pragma once

#include <memory>
#include <vector>

#include "core/layers/linear.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"
#include "decoder/decoder_config.h"

namespace ferry {

class Bridge {
 public:
  // Registers "bridge/h/{weight,bias}" and, for an LSTM decoder, "bridge/c/{weight,bias}" (dense only),
  // over `encoder_layers` encoder layers whose final states are `encoder_width` wide.
  Bridge(ParamRegistry& params, const DecoderConfig& decoder, int64_t encoder_width, int64_t encoder_layers,
         Precision precision);

  // final_h: per encoder layer {N, D_enc}; h0, c0: resized to per decoder layer {N, H_dec} (c0 left empty
  // for a GRU decoder).
  void forward(const std::vector<Tensor>& final_h, std::vector<Tensor>& h0, std::vector<Tensor>& c0);
  // d_h0, d_c0 as h0, c0 (empty tensors: no gradient); adds into d_final_h (per encoder layer {N, D_enc},
  // sized by the caller).
  void backward(const std::vector<Tensor>& d_h0, const std::vector<Tensor>& d_c0, std::vector<Tensor>& d_final_h);

 private:
  size_t source_layer(size_t decoder_layer) const;
  // The backward of one weight's product over the stacked layers: d_out per decoder layer (empty: none),
  // the input gradients added into d_final_h.
  void backward_stacked(Linear& linear, const Tensor& stacked_out, const std::vector<Tensor>& d_out,
                        std::vector<Tensor>& d_final_h);

  int64_t decoder_layers_;
  int64_t encoder_layers_;
  int64_t hidden_;
  bool lstm_;
  std::unique_ptr<Linear> to_h_, to_c_;  // null for bridge: zero
  // The last forward's decoder-layer inputs and outputs, {layers, N, ·}, kept for the backward.
  Tensor stacked_in_, stacked_h_, stacked_c_;
  Tensor d_stacked_out_, d_stacked_in_;
};

}  // namespace ferry
