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

float clip_factor(double norm, double max_norm) {
  FERRY_CHECK(max_norm > 0, InternalError, "clipping norm " << max_norm << " must be positive");
  return norm > max_norm ? static_cast<float>(max_norm / norm) : 1.0f;
}

}  // namespace ferry
