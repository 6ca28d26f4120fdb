// Attention products of search rows over per-sentence memories, as plain loops: R = B x group rows, the rows
// of sentence b being [b·group, (b+1)·group), against time-major memories {S, B, C}. Their sizes change at
// every search step (sentences leave, sources differ in length), where a matrix-product primitive per shape
// would cost more to create than the products it computes.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ferry {

// scores[b, k, s] = queries[b·group + k] · keys[s, b] for s < lengths[b]; positions beyond a sentence's
// length are left unset (a masked softmax ignores them). queries {R, C}, keys {S, B, C}, lengths {B};
// scores resized to {B, group, S}.
void row_dot_scores(const Tensor& queries, const Tensor& keys, const std::vector<int64_t>& lengths,
                    int64_t group, Tensor& scores);

// context[b·group + k] = Σ_{s < lengths[b]} weights[b, k, s] · values[s, b]. weights {B, group, S}, values
// {S, B, D}; context resized to {R, D}.
void row_weighted_sums(const Tensor& weights, const Tensor& values, const std::vector<int64_t>& lengths,
                       Tensor& context);

// One row of it: out[d] = Σ_{s < length} weights[s] · values[s·stride + d] for d < width.
void weighted_sum_row(const float* weights, const float* values, int64_t length, int64_t stride, int64_t width,
                      float* out);

}  // namespace ferry
