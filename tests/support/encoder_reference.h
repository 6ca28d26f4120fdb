// The encoder written naively from its equations, one sentence at a time (so no padding exists): embeddings,
// per layer a left-to-right RNN and, when bidirectional, an RNN over the sentence reversed whose outputs are
// reversed back, the two concatenated; from the second layer on, with residual connections, the layer's input
// added to its output.
#pragma once

#include <vector>

#include "core/param.h"
#include "model/model_config.h"
#include "support/reference_math.h"

namespace ferry {

struct EncoderReference {
  Vectors states;   // [t < length][D]: the top layer's outputs
  Vectors final_h;  // [layer][D]: [forward h at the last position; backward h at the first]
};

// src: one sentence's ids, </s> included.
EncoderReference reference_encoder(const ParamRegistry& params, const ModelConfig& config,
                                   const std::vector<int>& src);

}  // namespace ferry
