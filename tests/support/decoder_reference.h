// The bridge, attention and decoder written naively from their equations, one sentence at a time:
//   bridge    h0 = tanh([h_fw; h_bw]·W_h + b_h), c0 = [h_fw; h_bw]·W_c + b_c (LSTM), from encoder layer j for
//             decoder layer j when both stacks are equally deep, else from the top encoder layer; or zeros
//   attention scores over the sentence's real source positions only (dot: h·e, general: h·W_a·e,
//             mlp: v·tanh(h·W_q + b_q + e·W_k)), weights = softmax(scores), context = Σ weights·e
//   decoder   embeddings, stacked RNN from the initial state, then a = tanh([context; h]·W_c + b_c), or a = h
//             without attention
#pragma once

#include <functional>

#include <string>
#include <vector>

#include "core/param.h"
#include "model/model_config.h"
#include "support/reference_math.h"

namespace ferry {

struct InitialStateReference {
  Vectors h;  // [decoder layer][H]
  Vectors c;  // [decoder layer][H] for an LSTM decoder, else empty
};

// final_h: [encoder layer][D] of one sentence.
InitialStateReference reference_bridge(const ParamRegistry& params, const ModelConfig& config,
                                       const Vectors& final_h);

struct AttentionReference {
  Vector weights;  // [s < memory.size()]
  Vector context;  // [D]
};

// The query's product with a weight {K, N} (no bias): exact unless a reference of other arithmetic says.
using QueryProduct = std::function<Vector(const Vector& query, const Tensor& weight)>;

// kind: dot, general or mlp; memory: the sentence's encoder states at its real positions; query_product:
// how the query meets general's W_a or mlp's query weight (empty: exactly).
AttentionReference reference_attention(const ParamRegistry& params, const std::string& kind,
                                       const Vector& query, const Vectors& memory,
                                       const QueryProduct& query_product = {});

// tgt_in: one sentence's decoder input ids (<s> y); returns its attentional vectors [t][H].
Vectors reference_decoder(const ParamRegistry& params, const ModelConfig& config,
                          const std::vector<int>& tgt_in, const InitialStateReference& initial,
                          const Vectors& memory);

}  // namespace ferry
