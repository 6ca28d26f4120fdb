#include "core/ops/dropout.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>

#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr float kRate = 0.3f;

Tensor dropped(Dropout& dropout, const Tensor& x) {
  Tensor y = x.clone();
  dropout.forward(y, true);
  return y;
}

bool same(const Tensor& a, const Tensor& b) {
  return a.numel() == b.numel() && std::equal(a.data(), a.data() + a.numel(), b.data());
}

TEST(Dropout, ZeroesAboutRateAndScalesTheRest) {
  const Tensor x = random_tensor({200, 500}, 1);
  Dropout dropout(kRate, 7);
  const Tensor y = dropped(dropout, x);
  int64_t zeros = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (y.data()[i] == 0.0f) {
      ++zeros;
    } else {
      ASSERT_FLOAT_EQ(y.data()[i], x.data()[i] / (1.0f - kRate));
    }
  }
  EXPECT_NEAR(static_cast<double>(zeros) / x.numel(), kRate, 0.01);
}

TEST(Dropout, MaskDependsOnlyOnSeedAndCallNumber) {
  const Tensor x = random_tensor({100, 400}, 2);
  Dropout a(kRate, 11), b(kRate, 11), other_seed(kRate, 12);
  const Tensor first = dropped(a, x);
  EXPECT_TRUE(same(first, dropped(b, x)));
  EXPECT_FALSE(same(first, dropped(other_seed, x)));
  const Tensor second = dropped(a, x);
  EXPECT_EQ(a.calls(), 2u);
  EXPECT_FALSE(same(first, second));
  a.set_calls(1);
  EXPECT_TRUE(same(second, dropped(a, x)));
}

TEST(Dropout, MaskDoesNotDependOnThreadCount) {
  const int threads_before = omp_get_max_threads();
  const Tensor x = random_tensor({100, 400}, 3);
  omp_set_num_threads(1);
  Dropout one(kRate, 5);
  const Tensor y1 = dropped(one, x);
  omp_set_num_threads(2);
  Dropout two(kRate, 5);
  const Tensor y2 = dropped(two, x);
  omp_set_num_threads(threads_before);
  EXPECT_TRUE(same(y1, y2));
}

TEST(Dropout, BackwardMatchesFiniteDifferences) {
  for (const Dims& dims : {Dims{3, 7}, Dims{100, 400}}) {
    Tensor x = random_tensor(dims, 4);
    const Tensor weights = random_tensor(dims, 5);
    Dropout dropout(kRate, 9);
    dropped(dropout, x);
    Tensor grad = weights.clone();
    dropout.backward(grad);
    const auto loss = [&] {
      Dropout replay(kRate, 9);  // the same first mask
      return weighted_sum(dropped(replay, x), weights);
    };
    EXPECT_TRUE(gradient_matches(x, grad, loss, "dropout input"));
  }
}

TEST(Dropout, IdentityAtRateZeroAndInInference) {
  const Tensor x = random_tensor({10, 20}, 6);
  Dropout off(0.0f, 1), on(kRate, 1);
  Tensor y = x.clone();
  off.forward(y, true);
  EXPECT_TRUE(same(y, x));
  on.forward(y, false);
  EXPECT_TRUE(same(y, x));
  EXPECT_EQ(on.calls(), 0u);
  Tensor grad = x.clone();
  on.backward(grad);
  off.backward(grad);
  EXPECT_TRUE(same(grad, x));
}

TEST(Dropout, RejectsBadRateAndMismatchedGradient) {
  EXPECT_THROW(Dropout(1.0f, 1), InternalError);
  EXPECT_THROW(Dropout(-0.1f, 1), InternalError);
  Dropout dropout(kRate, 1);
  Tensor x({4, 5});
  dropout.forward(x, true);
  Tensor wrong({5, 4});
  EXPECT_THROW(dropout.backward(wrong), InternalError);
}

}  // namespace
}  // namespace ferry
