#include "core/optim/clip.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "support/numeric.h"
#include "support/thread_count.h"
#include "util/error.h"

namespace ferry {
namespace {

// Gradients {3} and {4, 0}: global norm 5; a frozen parameter's huge gradient does not count.
class ClipTest : public ::testing::Test {
 protected:
  ClipTest()
      : a_(params_.add("a", {1}, Init::zeros())),
        b_(params_.add("b", {2}, Init::zeros())),
        frozen_(params_.add("frozen", {1}, Init::zeros(), false)) {
    a_.grad.data()[0] = 3.0f;
    b_.grad.data()[0] = 4.0f;
    frozen_.grad.data()[0] = 100.0f;
  }
  ParamRegistry params_;
  Parameter& a_;
  Parameter& b_;
  Parameter& frozen_;
};

TEST_F(ClipTest, NormOfTrainableGradients) { EXPECT_DOUBLE_EQ(global_grad_norm(params_), 5.0); }

TEST_F(ClipTest, FactorScalesDownToMaxNormOnly) {
  EXPECT_FLOAT_EQ(clip_factor(global_grad_norm(params_), 2.5), 0.5f);
  EXPECT_EQ(clip_factor(global_grad_norm(params_), 10.0), 1.0f);
  EXPECT_EQ(clip_factor(global_grad_norm(params_), 5.0), 1.0f);
  EXPECT_THROW(clip_factor(1.0, 0.0), InternalError);
}

TEST_F(ClipTest, NonFiniteGradientsGiveNonFiniteNorm) {
  b_.grad.data()[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(global_grad_norm(params_)));
  b_.grad.data()[1] = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(std::isinf(global_grad_norm(params_)));
}

TEST(Clip, NormDoesNotDependOnThreadCount) {
  ParamRegistry params;
  Parameter& big = params.add("big", {400, 300}, Init::zeros());
  fill_random(big.grad, 1);
  const double one = with_threads(1, [&] { return global_grad_norm(params); });
  const double two = with_threads(2, [&] { return global_grad_norm(params); });
  EXPECT_EQ(one, two);
  double expected = 0;
  for (int64_t i = 0; i < big.grad.numel(); ++i)
    expected += static_cast<double>(big.grad.data()[i]) * big.grad.data()[i];
  EXPECT_NEAR(one, std::sqrt(expected), 1e-9 * one);
}

}  // namespace
}  // namespace ferry
