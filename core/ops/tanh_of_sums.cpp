#include "core/ops/tanh_of_sums.h"

#include <cmath>

#include "core/ops/fast_math.h"
#include "core/parallel.h"

namespace ferry {

bool tanh_factor_exps(const Tensor& x, Tensor& exps) {
  const float* in = x.data();
  const int64_t n = x.numel();
  int64_t outside = 0;  // counted rather than a max, which NaN would slip through
#pragma omp parallel for simd schedule(static) reduction(+ : outside) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) outside += !(std::abs(in[i]) <= kTanhFactorLimit);
  if (outside > 0) {
    exps = Tensor();
    return false;
  }
  exps.resize(x.dims());
  float* out = exps.data();
#pragma omp parallel for simd schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) out[i] = fast_exp(2.0f * in[i]);
  return true;
}

}  // namespace ferry
