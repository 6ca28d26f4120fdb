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

TEST_F(ClipTest, ScalesDownToMaxNorm) {
  EXPECT_DOUBLE_EQ(clip_global_norm(params_, 2.5), 5.0);
  EXPECT_FLOAT_EQ(a_.grad.data()[0], 1.5f);
  EXPECT_FLOAT_EQ(b_.grad.data()[0], 2.0f);
  EXPECT_EQ(frozen_.grad.data()[0], 100.0f);
  EXPECT_NEAR(global_grad_norm(params_), 2.5, 1e-6);
}

TEST_F(ClipTest, LeavesSmallGradientsAlone) {
  EXPECT_DOUBLE_EQ(clip_global_norm(params_, 10.0), 5.0);
  EXPECT_EQ(a_.grad.data()[0], 3.0f);
}

TEST_F(ClipTest, ReportsNonFiniteNormWithoutApplyingIt) {
  b_.grad.data()[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(clip_global_norm(params_, 1.0)));
  EXPECT_EQ(a_.grad.data()[0], 3.0f);
  b_.grad.data()[1] = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(std::isinf(clip_global_norm(params_, 1.0)));
  EXPECT_EQ(b_.grad.data()[0], 4.0f);
  EXPECT_THROW(clip_global_norm(params_, 0.0), InternalError);
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
