#include "support/numeric.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "util/rng.h"

namespace ferry {

void fill_random(Tensor& t, uint64_t seed, float scale) {
  Rng rng(seed, 12345);
  float* p = t.data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = (2.0f * rng.uniform() - 1.0f) * scale;
}

Tensor random_tensor(const Dims& dims, uint64_t seed, float scale) {
  Tensor t(dims);
  fill_random(t, seed, scale);
  return t;
}

::testing::AssertionResult all_close(const float* actual, const float* expected, int64_t n, double rtol,
                                     double atol) {
  for (int64_t i = 0; i < n; ++i) {
    const double a = actual[i], e = expected[i];
    if (!(std::abs(a - e) <= atol + rtol * std::abs(e))) {
      return ::testing::AssertionFailure() << "first difference at index " << i << ": actual " << a << ", expected "
                                           << e << " (rtol " << rtol << ", atol " << atol << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  if (actual.dims() != expected.dims()) {
    return ::testing::AssertionFailure() << "dims differ: actual " << dims_text(actual.dims()) << ", expected "
                                         << dims_text(expected.dims());
  }
  return all_close(actual.data(), expected.data(), actual.numel(), rtol, atol);
}

double weighted_sum(const Tensor& output, const Tensor& weights) {
  double sum = 0;
  for (int64_t i = 0; i < output.numel(); ++i) sum += static_cast<double>(output.data()[i]) * weights.data()[i];
  return sum;
}

::testing::AssertionResult gradient_matches(Tensor& x, const Tensor& analytic, const std::function<double()>& loss,
                                            const std::string& what, double eps, double rtol, double atol,
                                            int64_t max_elements) {
  if (x.dims() != analytic.dims()) {
    return ::testing::AssertionFailure() << what << ": gradient dims " << dims_text(analytic.dims())
                                         << " differ from " << dims_text(x.dims());
  }
  const int64_t n = x.numel();
  const int64_t stride = std::max<int64_t>(1, n / max_elements);
  float* v = x.data();
  const auto numeric_at = [&](int64_t i, double step) {
    const float saved = v[i];
    v[i] = static_cast<float>(saved + step);
    const double plus = loss();
    v[i] = static_cast<float>(saved - step);
    const double minus = loss();
    v[i] = saved;
    return (plus - minus) / (2 * step);
  };
  for (int64_t i = 0; i < n; i += stride) {
    const double a = analytic.data()[i];
    bool ok = false;
    double numeric = 0;
    for (double step : {eps, eps / 2}) {
      numeric = numeric_at(i, step);
      if (std::abs(a - numeric) <= atol + rtol * std::max(std::abs(a), std::abs(numeric))) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      return ::testing::AssertionFailure() << what << ": gradient at index " << i << " is " << a
                                           << ", finite differences give " << numeric;
    }
  }
  loss();  // leave any state the loss computes consistent with the restored x
  return ::testing::AssertionSuccess();
}

}  // namespace ferry
