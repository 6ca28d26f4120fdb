#include "support/numeric.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "util/rng.h"

namespace ferry {
namespace {

// The element indices of a time-major {T, N, C} tensor at t >= lengths[n].
std::vector<int64_t> padding_indices(const Tensor& x, const std::vector<int>& lengths) {
  const int64_t T = x.dim(0), N = x.dim(1), C = x.dim(2);
  std::vector<int64_t> indices;
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t n = 0; n < N; ++n) {
      if (t < lengths[n]) continue;
      for (int64_t c = 0; c < C; ++c) indices.push_back((t * N + n) * C + c);
    }
  }
  return indices;
}

}  // namespace

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
      return ::testing::AssertionFailure()
             << "first difference at index " << i << ": actual " << a << ", expected " << e << " (rtol "
             << rtol << ", atol " << atol << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  if (actual.dims() != expected.dims()) {
    return ::testing::AssertionFailure() << "dims differ: actual " << dims_text(actual.dims())
                                         << ", expected " << dims_text(expected.dims());
  }
  return all_close(actual.data(), expected.data(), actual.numel(), rtol, atol);
}

double weighted_sum(const Tensor& output, const Tensor& weights) {
  double sum = 0;
  for (int64_t i = 0; i < output.numel(); ++i)
    sum += static_cast<double>(output.data()[i]) * weights.data()[i];
  return sum;
}

double weighted_sum(const std::vector<Tensor>& outputs, const std::vector<Tensor>& weights) {
  double sum = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].empty()) sum += weighted_sum(outputs[i], weights[i]);
  }
  return sum;
}

std::vector<Tensor> random_tensors_like(const std::vector<Tensor>& tensors, uint64_t seed) {
  std::vector<Tensor> weights;
  for (const Tensor& t : tensors) weights.push_back(t.empty() ? Tensor() : random_tensor(t.dims(), seed++));
  return weights;
}

void fill_after(Tensor& x, const std::vector<int>& lengths, uint64_t seed, float scale) {
  const Tensor values = random_tensor(x.dims(), seed, scale);
  for (int64_t i : padding_indices(x, lengths)) x.data()[i] = values.data()[i];
}

::testing::AssertionResult zero_after(const Tensor& x, const std::vector<int>& lengths,
                                      const std::string& what) {
  for (int64_t i : padding_indices(x, lengths)) {
    if (x.data()[i] != 0.0f) {
      return ::testing::AssertionFailure()
             << what << " is " << x.data()[i] << " at index " << i << ", a padding position";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult gradient_matches(Tensor& x, const Tensor& analytic,
                                            const std::function<double()>& loss, const std::string& what,
                                            double eps, double rtol, double atol, int64_t max_elements) {
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
      return ::testing::AssertionFailure()
             << what << ": gradient at index " << i << " is " << a << ", finite differences give " << numeric;
    }
  }
  loss();  // leave any state the loss computes consistent with the restored x
  return ::testing::AssertionSuccess();
}

// The forwards run in f32 and the loss is summed in double. A central difference at step h = 1e-2 is off by
// the f32 rounding error of the two losses divided by 2h: about a hundred weighted outputs of order one, each
// a few ulps off after a few layers, give ~1e-6 / 2e-2 = 5e-5 (the worst seen over these checks is 4e-5;
// smaller steps make it larger). Its truncation error, h^2/6 |f'''| for the O(1) third derivatives of tanh,
// sigmoid and softmax, is smaller: ~2e-5, a quarter of that at h/2. atol 1e-4 and rtol 1e-3 leave a margin
// over both, while a missing or wrong term in a backward pass moves a gradient by its own order, 1e-3 to 1.
::testing::AssertionResult every_gradient_element_matches(Tensor& x, const Tensor& analytic,
                                                          const std::function<double()>& loss,
                                                          const std::string& what) {
  return gradient_matches(x, analytic, loss, what, 1e-2, 1e-3, 1e-4, std::numeric_limits<int64_t>::max());
}

::testing::AssertionResult every_parameter_gradient_matches(ParamRegistry& params,
                                                            const std::function<double()>& loss) {
  std::ostringstream failures;
  for (Parameter* p : params.all()) {
    const auto changed_loss = [&] {
      p->changed();
      return loss();
    };
    const ::testing::AssertionResult result =
        every_gradient_element_matches(p->value, p->grad, changed_loss, p->name);
    if (!result) failures << result.message() << "\n";
  }
  if (failures.str().empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failures.str();
}

}  // namespace ferry
