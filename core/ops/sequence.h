// Row and time-step rearrangements of time-major batches {T, N, C} with per-sentence lengths: what exact
// variable-length bidirectional encoding, masking and beam reordering need.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace ferry {

// out[t, n] = in[len_n - 1 - t, n] for t < len_n; out[t, n] = 0 for t >= len_n. Its own inverse.
// in, out: {T, N, C}, distinct; lengths: N values in [0, T].
void reverse_within_lengths(const Tensor& in, const std::vector<int>& lengths, Tensor& out);

// Sets x[t, n] = 0 for t >= len_n. x: {T, N, C}.
void zero_after_lengths(Tensor& x, const std::vector<int>& lengths);

// out[i] = in[rows[i]] for row-major {R, ...} tensors (rows of `in` may repeat); out: {rows.size(), ...}.
void gather_rows(const Tensor& in, const std::vector<int>& rows, Tensor& out);

// out[t, i] = in[t, columns[i]] for time-major {T, N, C}; out: {T, columns.size(), C}.
void gather_columns(const Tensor& in, const std::vector<int>& columns, Tensor& out);

// out[:, :, 0:Ca] = a, out[:, :, Ca:Ca+Cb] = b. a: {T, N, Ca}, b: {T, N, Cb}, out: {T, N, Ca + Cb}.
void concat_channels(const Tensor& a, const Tensor& b, Tensor& out);
// The inverse: splits (or, with accumulate, adds) out's channels into a and b.
void split_channels(const Tensor& in, Tensor& a, Tensor& b, bool accumulate = false);

}  // namespace ferry
