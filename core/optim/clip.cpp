#include "core/optim/clip.h"

#include <cmath>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {

double global_grad_norm(const ParamRegistry& params) {
  double sum_squares = 0;
  for (const Parameter* param : params.all()) {
    if (!param->trainable) continue;
    const float* g = param->grad.data();
    sum_squares += deterministic_sum(param->grad.numel(), 1, [g](int64_t i) {
      const double value = g[i];
      return value * value;
    });
  }
  return std::sqrt(sum_squares);
}

double clip_global_norm(ParamRegistry& params, double max_norm) {
  FERRY_CHECK(max_norm > 0, InternalError, "clipping norm " << max_norm << " must be positive");
  const double norm = global_grad_norm(params);
  if (!std::isfinite(norm) || norm <= max_norm) return norm;
  const float scale = static_cast<float>(max_norm / norm);
  for (Parameter* param : params.all()) {
    if (!param->trainable) continue;
    float* g = param->grad.data();
    const int64_t n = param->grad.numel();
#pragma omp parallel for schedule(static) if (n >= kParallelMinElements)
    for (int64_t i = 0; i < n; ++i) g[i] *= scale;
  }
  return norm;
}

}  // namespace ferry
