#include "core/optim/adam.h"

#include <gtest/gtest.h>

#include <cmath>

#include "util/error.h"

namespace ferry {
namespace {

void set_values(Tensor& t, std::initializer_list<float> values) {
  int64_t i = 0;
  for (float v : values) t.data()[i++] = v;
}

TEST(Adam, TwoStepsMatchHandComputedUpdates) {
  ParamRegistry params;
  Parameter& w = params.add("w", {3}, Init::zeros());
  set_values(w.value, {1.0f, -2.0f, 0.5f});
  AdamOptions options;
  options.learning_rate = 0.1f;
  Adam adam(params, options);

  // Step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², so w -= 0.1 · g / (|g| + 1e-8).
  set_values(w.grad, {0.5f, -3.0f, 0.0f});
  adam.step();
  EXPECT_NEAR(w.value.data()[0], 1.0 - 0.1 * 0.5 / (0.5 + 1e-8), 1e-6);
  EXPECT_NEAR(w.value.data()[1], -2.0 + 0.1 * 3.0 / (3.0 + 1e-8), 1e-6);
  EXPECT_EQ(w.value.data()[2], 0.5f);

  // Step 2 on element 0 with g2 = 1: m = 0.9·0.05 + 0.1 = 0.145, v = 0.999·0.00025 + 0.001 = 0.00124975,
  // m̂ = 0.145 / 0.19, v̂ = 0.00124975 / 0.001999.
  set_values(w.grad, {1.0f, -3.0f, 0.0f});
  const double before = w.value.data()[0];
  adam.step();
  const double m_hat = 0.145 / (1 - 0.81), v_hat = 0.00124975 / (1 - 0.998001);
  EXPECT_NEAR(w.value.data()[0], before - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8), 1e-6);
  EXPECT_EQ(adam.steps(), 2);
  EXPECT_EQ(w.version, 2u);
}

TEST(Adam, DecoupledWeightDecayShrinksTheParameterApartFromTheGradient) {
  ParamRegistry params;
  Parameter& w = params.add("w", {2}, Init::zeros());
  set_values(w.value, {2.0f, -1.0f});
  AdamOptions options;
  options.learning_rate = 0.01f;
  options.weight_decay = 0.5f;
  Adam adam(params, options);
  set_values(w.grad, {0.0f, 4.0f});
  adam.step();
  // decay factor 1 - 0.01 · 0.5; element 0 has no gradient, element 1 also moves by lr · sign(g)
  EXPECT_NEAR(w.value.data()[0], 2.0 * 0.995, 1e-6);
  EXPECT_NEAR(w.value.data()[1], -1.0 * 0.995 - 0.01, 1e-6);
}

TEST(Adam, SkipsFrozenParametersAndFollowsTheLearningRate) {
  ParamRegistry params;
  Parameter& frozen = params.add("frozen", {2}, Init::zeros(), false);
  Parameter& w = params.add("w", {1}, Init::zeros());
  frozen.grad.fill(1.0f);
  w.grad.fill(1.0f);
  Adam adam(params, AdamOptions{});
  adam.set_learning_rate(0.5f);
  adam.step();
  EXPECT_EQ(frozen.value.data()[0], 0.0f);
  EXPECT_EQ(frozen.version, 0u);
  EXPECT_NEAR(w.value.data()[0], -0.5, 1e-6);
  EXPECT_EQ(adam.state().slots.size(), 2u);  // m and v of "w" only
}

TEST(Adam, RejectsBadOptions) {
  ParamRegistry params;
  AdamOptions options;
  options.beta2 = 1.0f;
  EXPECT_THROW(Adam(params, options), InternalError);
}

}  // namespace
}  // namespace ferry
