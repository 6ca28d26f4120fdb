// Token-level cross-entropy fused with log-softmax over the vocabulary, with padding excluded and optional
// label smoothing. The gradient overwrites the logits, so no second {rows, V} buffer is needed.
//
// Label smoothing with eps: the target distribution of a row with target t is q = (1 - eps)·onehot(t) +
// eps/V, the smoothing mass spread evenly over all V entries (the target and the pad id included; as
// PyTorch's CrossEntropyLoss(label_smoothing=eps) does). The loss is then the cross-entropy -sum_j q_j log
// p_j, which is not 0 at its minimum; report perplexity from an eps = 0 evaluation.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ferry {

struct LossSum {
  double loss = 0;     // summed over the counted rows
  int64_t tokens = 0;  // rows whose target is not the pad id
};

// logits: {rows, V}; targets: {rows}, each in [0, V) or equal to pad_id (that row is not counted); pad_id may
// lie outside [0, V) to count every row; label_smoothing in [0, 1).
LossSum cross_entropy(const Tensor& logits, const std::vector<int32_t>& targets, int32_t pad_id,
                      float label_smoothing = 0.0f);

// As cross_entropy, and overwrites logits with the gradient of grad_scale · loss with respect to them:
// grad_scale · (softmax(logits) - q) in counted rows, zeros in pad rows.
LossSum cross_entropy_with_grad(Tensor& logits, const std::vector<int32_t>& targets, int32_t pad_id,
                                float label_smoothing, float grad_scale);

}  // namespace ferry
