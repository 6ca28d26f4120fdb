#include "core/optim/clip.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

// Gradient elements per term of the deterministic sum: enough to hide a term's start, few enough for many
// chunks.
constexpr int64_t kBlock = 4096;

// The sum of squares of g[0, n) in double, over independent lanes: one running sum would wait on each
// addition's latency, lanes keep the vector units busy.
double sum_of_squares(const float* g, int64_t n) {
  constexpr int kLanes = 32;
  double lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int k = 0; k < kLanes; ++k) {
      const double value = g[i + k];
      lanes[k] += value * value;
    }
  }
  for (int k = 0; i < n; ++i, ++k) {
    const double value = g[i];
    lanes[k] += value * value;
  }
  double sum = 0;
  for (double lane : lanes) sum += lane;
  return sum;
}

}  // namespace

double global_grad_norm(const ParamRegistry& params) {
  double sum_squares = 0;
  for (const Parameter* param : params.all()) {
    if (!param->trainable) continue;
    const float* g = param->grad.data();
    const int64_t n = param->grad.numel();
    sum_squares += deterministic_sum((n + kBlock - 1) / kBlock, kBlock, [g, n](int64_t block) {
      const int64_t begin = block * kBlock;
      return sum_of_squares(g + begin, std::min(kBlock, n - begin));
    });
  }
  return std::sqrt(sum_squares);
}

float clip_factor(double norm, double max_norm) {
  FERRY_CHECK(max_norm > 0, InternalError, "clipping norm " << max_norm << " must be positive");
  return norm > max_norm ? static_cast<float>(max_norm / norm) : 1.0f;
}

}  // namespace ferry
