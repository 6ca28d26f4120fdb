// The machine's matrix-product speed as this build reaches it: the reference benchmarks compare against.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace ferry {

// GFLOP/s of repeated products {m, k} x {k, n} (operands of `type`, f32 result) through the same oneDNN
// matmul the model uses (plain layouts), median over `runs` timings of `repeats` products each.
double matmul_gflops(int64_t m, int64_t k, int64_t n, DType type = DType::kF32, int runs = 5, int repeats = 10);

}  // namespace ferry
