// The machine's matrix-product speed as this build reaches it: the reference benchmarks compare against.
#pragma once

#include <cstdint>

namespace ferry {

// GFLOP/s of repeated f32 products {m, k} x {k, n} through the same oneDNN matmul the model uses (plain
// layouts), median over `runs` timings of `repeats` products each.
double matmul_gflops(int64_t m, int64_t k, int64_t n, int runs = 5, int repeats = 10);

}  // namespace ferry
