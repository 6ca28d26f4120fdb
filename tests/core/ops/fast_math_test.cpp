#include "core/ops/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

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

#if defined(__AVX512F__)
TEST(FastExp, SixteenLanesAgreeWithScalar) {
  for (float start = -110.0f; start < 100.0f; start += 0.37f * 16) {
    alignas(64) float in[16], out[16];
    for (int i = 0; i < 16; ++i) in[i] = start + 0.37f * static_cast<float>(i);
    _mm512_store_ps(out, fast_exp(_mm512_load_ps(in)));
    for (int i = 0; i < 16; ++i) {
      if (in[i] < -87.3f) {
        EXPECT_LT(out[i], 1.2e-38f) << in[i];  // 0 or a denormal, where fast_exp gives 0
        EXPECT_GE(out[i], 0.0f) << in[i];
      } else {
        EXPECT_NEAR(out[i], fast_exp(in[i]), 3e-7 * fast_exp(in[i])) << in[i];
      }
    }
  }
  alignas(64) float edges[16] = {-INFINITY, INFINITY, std::nanf(""), 0.0f, 88.0f, 1000.0f};
  alignas(64) float out[16];
  _mm512_store_ps(out, fast_exp(_mm512_load_ps(edges)));
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], fast_exp(88.0f));
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_EQ(out[3], 1.0f);
  EXPECT_EQ(out[5], out[4]);
}

TEST(FastTanhAbsolute, SixteenLanesAgreeWithScalar) {
  for (float start = -30.0f; start < 30.0f; start += 0.0731f * 16) {
    alignas(64) float in[16], out[16];
    for (int i = 0; i < 16; ++i) in[i] = start + 0.0731f * static_cast<float>(i);
    _mm512_store_ps(out, fast_tanh_absolute(_mm512_load_ps(in)));
    for (int i = 0; i < 16; ++i) EXPECT_NEAR(out[i], std::tanh(static_cast<double>(in[i])), 3e-7) << in[i];
  }
}
#endif

// Lengths around the vector width and the 256-value blocks, with masked (-inf) and far-below entries.
TEST(SumExp, MatchesDoubleSumAtEveryLength) {
  for (const int64_t n : {1, 7, 15, 16, 17, 255, 256, 257, 300, 8000}) {
    std::vector<float> x(static_cast<size_t>(n));
    double exact = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float v = i % 11 == 3 ? -INFINITY : i % 13 == 5 ? -200.0f : 0.01f * static_cast<float>((i * 37) % 900);
      x[static_cast<size_t>(i)] = v;
      exact += std::exp(static_cast<double>(v) - 4.5);
    }
    EXPECT_NEAR(sum_exp(x.data(), n, 4.5f), exact, 1e-6 * exact) << n;
  }
  std::vector<float> with_nan(40, 0.0f);
  with_nan[33] = std::nanf("");
  EXPECT_TRUE(std::isnan(sum_exp(with_nan.data(), 40, 0.0f)));
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
