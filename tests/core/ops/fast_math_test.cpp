#include "core/ops/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ferry {
namespace {

TEST(FastExp, WithinAFewUlpOverTheRange) {
  double worst = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.0137f) {
    const double exact = std::exp(static_cast<double>(x));
    const double relative = std::abs(fast_exp(x) - exact) / exact;
    worst = std::max(worst, relative);
  }
  EXPECT_LT(worst, 3e-7);  // 2.5 ulp of f32
}

TEST(FastExp, ExactPointsAndUnderflow) {
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
  EXPECT_NEAR(fast_exp(1.0f), 2.7182817f, 3e-7f);
  EXPECT_EQ(fast_exp(-90.0f), 0.0f);
  EXPECT_EQ(fast_exp(-1000.0f), 0.0f);
  EXPECT_GT(fast_exp(-87.0f), 0.0f);
}

// NaN passes through (and, under UBSan, computes no out-of-range exponent on the way).
TEST(FastExp, NotANumberStaysNotANumber) {
  EXPECT_TRUE(std::isnan(fast_exp(std::nanf(""))));
  EXPECT_TRUE(std::isnan(fast_tanh(std::nanf(""))));
  EXPECT_EQ(fast_exp(INFINITY), fast_exp(88.0f));
}

TEST(FastExp, VectorisedLoopMatchesScalarCalls) {
  float in[1000], out[1000];
  for (int i = 0; i < 1000; ++i) in[i] = -60.0f + 0.1f * static_cast<float>(i);
#pragma omp simd
  for (int i = 0; i < 1000; ++i) out[i] = fast_exp(in[i]);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(out[i], fast_exp(in[i])) << i;
}

TEST(FastTanh, CloseToTanhEverywhere) {
  double worst = 0;
  for (float x = -20.0f; x <= 20.0f; x += 0.00731f) {
    const double exact = std::tanh(static_cast<double>(x));
    worst = std::max(worst, std::abs(fast_tanh(x) - exact) / std::max(std::abs(exact), 1e-30));
  }
  EXPECT_LT(worst, 4e-7);
  EXPECT_EQ(fast_tanh(0.0f), 0.0f);
  EXPECT_EQ(fast_tanh(100.0f), 1.0f);
  EXPECT_EQ(fast_tanh(-100.0f), -1.0f);
  EXPECT_FLOAT_EQ(fast_tanh(1e-6f), 1e-6f);
}

TEST(FastTanhAbsolute, WithinAbsoluteErrorEverywhere) {
  double worst = 0;
  for (float x = -20.0f; x <= 20.0f; x += 0.00731f)
    worst = std::max(worst, std::abs(fast_tanh_absolute(x) - std::tanh(static_cast<double>(x))));
  EXPECT_LT(worst, 3e-7);
  EXPECT_EQ(fast_tanh_absolute(0.0f), 0.0f);
  EXPECT_EQ(fast_tanh_absolute(100.0f), 1.0f);
  EXPECT_EQ(fast_tanh_absolute(-100.0f), -1.0f);
  EXPECT_TRUE(std::isnan(fast_tanh_absolute(std::nanf(""))));
}

}  // namespace
}  // namespace ferry
