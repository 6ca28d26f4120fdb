// The output layer, the loss and the whole model written naively from their equations, sentence by sentence:
//   logits = a·W + b, W {H, V} or, when tied, the target embedding table {V, H} transposed
//   token loss = -Σ_j q_j log p_j with p = softmax(logits), q = (1 - eps)·onehot(y) + eps / V (core/loss.h)
// and a batch's loss summed over its target tokens, pads excluded.
#pragma once

#include <cstdint>

#include "core/param.h"
#include "data/batch.h"
#include "model/model_config.h"
#include "support/reference_math.h"

namespace ferry {

Vector reference_logits(const ParamRegistry& params, const ModelConfig& config, const Vector& attentional);

double reference_token_loss(const Vector& logits, int target, double label_smoothing);

struct SentenceReference {
  Vectors log_probs;  // [t < target length][V]: the model's log-distribution at each target position
  double loss = 0;    // summed over the sentence's target tokens
};

// Column n of the batch through the whole model.
SentenceReference reference_sentence(const ParamRegistry& params, const ModelConfig& config,
                                     const Batch& batch, int64_t n, double label_smoothing);

struct LossReference {
  double loss = 0;
  int64_t tokens = 0;
};

LossReference reference_batch_loss(const ParamRegistry& params, const ModelConfig& config, const Batch& batch,
                                   double label_smoothing);

}  // namespace ferry
