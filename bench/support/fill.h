// Operands for the benchmarks: tensors filled with reproducible pseudo-random values.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace ferry {

// Fills `t` with values uniform in [-scale / 2, scale / 2), the same for the same seed.
void fill_uniform(Tensor& t, float scale, uint32_t seed = 12345);

}  // namespace ferry
