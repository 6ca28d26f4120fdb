// Shared numeric test helpers: tensor comparison that reports the first bad index, seeded random fills,
// and finite-difference gradient checks.
#pragma once

#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "core/tensor.h"

namespace ferry {

// Fills with uniform values in [-scale, scale] from a seeded generator.
void fill_random(Tensor& t, uint64_t seed, float scale = 1.0f);
Tensor random_tensor(const Dims& dims, uint64_t seed, float scale = 1.0f);

// Passes if dims match and |actual - expected| <= atol + rtol * |expected| everywhere; otherwise the failure
// names the first offending index and both values.
::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol, double atol = 0.0);
::testing::AssertionResult all_close(const float* actual, const float* expected, int64_t n, double rtol,
                                     double atol = 0.0);

// Checks `analytic` (the computed gradient of `loss` with respect to `x`) by central differences, perturbing
// `x` in place and restoring it. Each checked element must agree within atol + rtol * max(|a|, |n|) at step
// `eps` or, failing that, at eps / 2 (two step sizes guard against a kink or fp32 rounding at one of them).
// Checks at most `max_elements` elements spread evenly over the tensor. `loss` must recompute from x.
::testing::AssertionResult gradient_matches(Tensor& x, const Tensor& analytic, const std::function<double()>& loss,
                                            const std::string& what, double eps = 1e-2, double rtol = 2e-2,
                                            double atol = 1e-3, int64_t max_elements = 64);

// sum(output * weights) in double: a scalar loss whose gradient with respect to output is `weights`.
double weighted_sum(const Tensor& output, const Tensor& weights);

}  // namespace ferry
