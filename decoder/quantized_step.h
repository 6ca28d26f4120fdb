// The search step of a trained decoder and output layer in int8 arithmetic: every matrix product of a step
// (each layer's input and recurrent products, the combine layer, the output projection) multiplies 8-bit
// rows by 8-bit weights on the CPU's integer dot-product instructions, with f32 accumulation. Activations
// are quantized per row at every step (see core/ops/quantize.h); the recurrent state, the cell arithmetic,
// attention and the log-softmax stay f32. Equivalent to Decoder::step followed by OutputLayer::log_probs up
// to the rounding of the quantization.
#pragma once

#include <memory>
#include <vector>

#include "core/layers/quantized_linear.h"
#include "core/param.h"
#include "decoder/attention.h"
#include "decoder/decoder.h"
#include "model/model_config.h"

namespace ferry {

class QuantizedStep {
 public:
  // Quantizes the parameters of `params` (the decoder's and output layer's, by name) as they are now.
  // `attention`: the decoder's (nullptr for attention "none"), run in f32; it must outlive this object.
  QuantizedStep(const ParamRegistry& params, const ModelConfig& config, Attention* attention);

  // As Decoder::step then OutputLayer::log_probs: tokens {R}, state updated in place, attention_weights
  // resized to {R, S} (unset without attention), log_probs resized to {R, V}.
  void step(const std::vector<int>& tokens, const Attention::Memory& memory, int64_t beam,
            DecoderState& state, Tensor& attention_weights, Tensor& log_probs);

  // Whether the parameters changed since they were quantized.
  bool stale(const ParamRegistry& params) const;

 private:
  // One recurrent layer: gates = x·W_x + h·W_h + bias.
  struct Layer {
    std::unique_ptr<QuantizedLinear> input, recurrent;
    const Parameter* bias;
  };
  // Quantizes x and multiplies: products {R, N} and the rows' scales {R}.
  struct Product {
    Tensor quantized{Dims{0}, DType::kS8}, scales, products;
    void run(QuantizedLinear& weight, const Tensor& x);
  };

  CellKind cell_;
  int64_t hidden_;
  const Parameter& embedding_;  // {V, E}
  std::vector<Layer> layers_;
  Attention* attention_;
  std::unique_ptr<QuantizedLinear> combine_context_, combine_top_;  // W_c split by input: context, top h
  const Parameter* combine_bias_ = nullptr;
  std::unique_ptr<QuantizedLinear> output_;
  const Parameter& output_bias_;
  // Parameter versions when quantized.
  std::vector<std::pair<const Parameter*, uint64_t>> versions_;

  Tensor input_, context_, attentional_;
  Product x_, h_, top_;
};

}  // namespace ferry
