// Small element-wise arithmetic on f32 tensors of equal element count.
#pragma once

#include "core/tensor.h"

namespace ferry {

// y += x.
void add_in_place(Tensor& y, const Tensor& x);
// y *= x, element by element.
void multiply_in_place(Tensor& y, const Tensor& x);
// y *= factor.
void scale_in_place(Tensor& y, float factor);

}  // namespace ferry
