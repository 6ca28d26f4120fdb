#include "support/encoder_reference.h"

#include <string>

namespace ferry {

EncoderReference reference_encoder(const ParamRegistry& params, const ModelConfig& config,
                                   const std::vector<int>& src) {
  const CellKind cell = config.encoder.cell;
  EncoderReference out;
  Vectors input = embed(param_value(params, "encoder/embedding/weight"), src);
  for (int64_t l = 0; l < config.encoder.layers; ++l) {
    const std::string scope = "encoder/l" + std::to_string(l);
    const Vectors forward = run_rnn(params, scope + "/fw", cell, input, nullptr, nullptr);
    Vectors output = forward;
    Vector final_h = forward.back();
    if (config.encoder.bidirectional) {
      const Vectors backward =
          reversed(run_rnn(params, scope + "/bw", cell, reversed(input), nullptr, nullptr));
      for (size_t t = 0; t < output.size(); ++t) output[t] = concat(forward[t], backward[t]);
      final_h = concat(final_h, backward.front());
    }
    if (config.encoder.residual && l > 0) {
      for (size_t t = 0; t < output.size(); ++t) output[t] = plus(output[t], input[t]);
    }
    out.final_h.push_back(final_h);
    input = output;
  }
  out.states = input;
  return out;
}

}  // namespace ferry
