// Element type conversions between f32 and bf16 tensors (bf16: the top 16 bits of an f32, rounded to nearest
// even), for the parts of a step that run in bf16 while parameters and the rest stay f32.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace ferry {

// to = from with to's element type; equal element counts. f32 -> bf16 rounds to nearest even (NaN stays NaN);
// bf16 -> f32 is exact; equal types copy.
void convert(const Tensor& from, Tensor& to);
// to[i] = from[i] rounded to bf16 (nearest even; NaN stays NaN) for i < n: for buffers that are not tensors
// of their own (a slice of rows), without making one.
void round_to_bf16(const float* from, int64_t n, uint16_t* to);

}  // namespace ferry
