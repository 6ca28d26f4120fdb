// Shared numeric test helpers: tensor comparison that reports the first bad index, seeded random fills,
// and finite-difference gradient checks.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

// Fills with uniform values in [-scale, scale] from a seeded generator.
void fill_random(Tensor& t, uint64_t seed, float scale = 1.0f);
Tensor random_tensor(const Dims& dims, uint64_t seed, float scale = 1.0f);

// Passes if dims match and |actual - expected| <= atol + rtol * |expected| everywhere; otherwise the failure
// names the first offending index and both values.
::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol,
                                     double atol = 0.0);
::testing::AssertionResult all_close(const float* actual, const float* expected, int64_t n, double rtol,
                                     double atol = 0.0);

// Checks `analytic` (the computed gradient of `loss` with respect to `x`) by central differences, perturbing
// `x` in place and restoring it. Each checked element must agree within atol + rtol * max(|a|, |n|) at step
// `eps` or, failing that, at eps / 2 (two step sizes guard against a kink or fp32 rounding at one of them).
// Checks at most `max_elements` elements spread evenly over the tensor. `loss` must recompute from x.
::testing::AssertionResult gradient_matches(Tensor& x, const Tensor& analytic,
                                            const std::function<double()>& loss, const std::string& what,
                                            double eps = 1e-2, double rtol = 2e-2, double atol = 1e-3,
                                            int64_t max_elements = 64);

// The layer gradient checks: gradient_matches over every element of x at the step and tolerances below
// (reasoned where they are defined).
::testing::AssertionResult every_gradient_element_matches(Tensor& x, const Tensor& analytic,
                                                          const std::function<double()>& loss,
                                                          const std::string& what);

// every_gradient_element_matches for the value of each parameter against its grad, the parameter marked
// changed before each loss; the failure names every parameter that failed.
::testing::AssertionResult every_parameter_gradient_matches(ParamRegistry& params,
                                                            const std::function<double()>& loss);

// Gives every padding position t >= lengths[n] of a time-major {T, N, C} tensor new seeded random values in
// [-scale, scale]; the other positions keep theirs.
void fill_after(Tensor& x, const std::vector<int>& lengths, uint64_t seed, float scale = 1.0f);
// Passes if the time-major {T, N, C} tensor x is exactly zero at every t >= lengths[n] (padding); otherwise
// names the first nonzero element.
::testing::AssertionResult zero_after(const Tensor& x, const std::vector<int>& lengths,
                                      const std::string& what);

// sum(output * weights) in double: a scalar loss whose gradient with respect to output is `weights`.
double weighted_sum(const Tensor& output, const Tensor& weights);
// The sum of weighted_sum(outputs[i], weights[i]) over i; empty tensors add nothing.
double weighted_sum(const std::vector<Tensor>& outputs, const std::vector<Tensor>& weights);
// Random loss weights with each tensor's dims (an empty tensor for an empty one), seeded from `seed` on.
std::vector<Tensor> random_tensors_like(const std::vector<Tensor>& tensors, uint64_t seed);

}  // namespace ferry
