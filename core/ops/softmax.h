// Softmax and log-softmax over the last axis with each row restricted to its valid length L: positions >= L
// are padding. They get probability 0 (log-softmax writes 0 there too: callers must treat them as absent, as
// log 0 would poison later sums), and no gradient. A row with L = 0 is all zeros, never NaN.
//
// Every function takes x: {A, B, S} and `lengths`, one valid length in [0, S] per index of axis
// `length_axis`: 0 gives row (a, b) the length lengths[a] (A entries), 1 gives it lengths[b] (B entries). For
// attention scores {N, T, S} with one source length per sentence use axis 0; for time-major scores {T, N, S},
// axis 1.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ferry {

// One row: out[j] = the softmax of in[0, length) for j < length, 0 up to `size`; out may be in.
void softmax_row(const float* in, int64_t length, int64_t size, float* out);

// y: resized to x's dims; may be x itself.
void masked_softmax(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis, Tensor& y);
// y: the forward output, dy: dL/dy, both {A, B, S}; dx: resized to {A, B, S}, may be dy itself.
void masked_softmax_backward(const Tensor& y, const Tensor& dy, const std::vector<int64_t>& lengths,
                             int length_axis, Tensor& dx);

// y: resized to x's dims; may be x itself.
void masked_log_softmax(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis, Tensor& y);
// y: the forward output (log-probabilities), dy: dL/dy, both {A, B, S}; dx: resized, may be dy itself.
void masked_log_softmax_backward(const Tensor& y, const Tensor& dy, const std::vector<int64_t>& lengths,
                                 int length_axis, Tensor& dx);

}  // namespace ferry
