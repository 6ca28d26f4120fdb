#include "core/optim/sgd.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

TEST(Sgd, PlainStepIsLearningRateTimesGradient) {
  ParamRegistry params;
  Parameter& w = params.add("w", {2}, Init::zeros());
  w.value.data()[0] = 1.0f;
  w.grad.data()[0] = 2.0f;
  w.grad.data()[1] = -4.0f;
  Sgd sgd(params, SgdOptions{0.25f, 0.0f});
  sgd.step();
  EXPECT_FLOAT_EQ(w.value.data()[0], 0.5f);
  EXPECT_FLOAT_EQ(w.value.data()[1], 1.0f);
  EXPECT_EQ(w.version, 1u);
  EXPECT_TRUE(sgd.state().slots.empty());
}

TEST(Sgd, MomentumAccumulatesPastGradients) {
  ParamRegistry params;
  Parameter& w = params.add("w", {1}, Init::zeros());
  Parameter& frozen = params.add("frozen", {1}, Init::zeros(), false);
  frozen.grad.fill(1.0f);
  Sgd sgd(params, SgdOptions{0.1f, 0.9f});
  w.grad.fill(1.0f);
  sgd.step();  // b = 1, w = -0.1
  w.grad.fill(2.0f);
  sgd.step();  // b = 0.9 + 2 = 2.9, w = -0.1 - 0.29
  EXPECT_NEAR(w.value.data()[0], -0.39, 1e-6);
  EXPECT_EQ(frozen.value.data()[0], 0.0f);
  EXPECT_EQ(frozen.version, 0u);
  ASSERT_EQ(sgd.state().slots.size(), 1u);
  EXPECT_EQ(sgd.state().slots[0].name, "sgd_momentum/w");
  EXPECT_NEAR(sgd.state().slots[0].value.data()[0], 2.9, 1e-6);
}

TEST(Sgd, RejectsBadMomentum) {
  ParamRegistry params;
  EXPECT_THROW(Sgd(params, SgdOptions{0.1f, 1.0f}), InternalError);
}

}  // namespace
}  // namespace ferry
