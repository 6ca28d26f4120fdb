#include "core/ops/dropout.h"

#include <gtest/gtest.h>

#include "support/numeric.h"
#include "support/thread_count.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr float kRate = 0.3f;

Tensor dropped(Dropout& dropout, const Tensor& x) {
  Tensor y = x.clone();
  dropout.forward(y, true);
  return y;
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
  EXPECT_TRUE(all_close(first, dropped(b, x), 0.0));
  EXPECT_FALSE(all_close(first, dropped(other_seed, x), 0.0));
  const Tensor second = dropped(a, x);
  EXPECT_EQ(a.calls(), 2u);
  EXPECT_FALSE(all_close(first, second, 0.0));
  a.set_calls(1);
  EXPECT_TRUE(all_close(second, dropped(a, x), 0.0));
}

TEST(Dropout, MaskDoesNotDependOnThreadCount) {
  const Tensor x = random_tensor({100, 400}, 3);
  const auto first_mask_applied = [&] {
    Dropout dropout(kRate, 5);
    return dropped(dropout, x);
  };
  EXPECT_TRUE(all_close(with_threads(1, first_mask_applied), with_threads(2, first_mask_applied), 0.0));
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
  EXPECT_TRUE(all_close(y, x, 0.0));
  on.forward(y, false);
  EXPECT_TRUE(all_close(y, x, 0.0));
  EXPECT_EQ(on.calls(), 0u);
  Tensor grad = x.clone();
  on.backward(grad);
  off.backward(grad);
  EXPECT_TRUE(all_close(grad, x, 0.0));
}

// Variational masks: element (t, n, c) of a {T, N, C} tensor is dropped for all t or for none; the share
// dropped is still the rate; the backward pass uses the same mask.
TEST(Dropout, PerSequenceMasksAreTheSameAtEveryStep) {
  Tensor x = random_tensor({6, 50, 40}, 8);
  Dropout dropout(kRate, 3, DropoutMask::kPerSequence);
  const Tensor y = dropped(dropout, x);
  const int64_t per_step = 50 * 40;
  int64_t zeros = 0;
  for (int64_t i = 0; i < per_step; ++i) {
    const bool dropped_at_first = y.data()[i] == 0.0f;
    zeros += dropped_at_first;
    for (int64_t t = 1; t < 6; ++t)
      ASSERT_EQ(y.data()[t * per_step + i] == 0.0f, dropped_at_first) << "element " << i << " at step " << t;
  }
  EXPECT_NEAR(static_cast<double>(zeros) / per_step, kRate, 0.03);
  Tensor grad = random_tensor({6, 50, 40}, 9);
  const Tensor weights = grad.clone();
  dropout.backward(grad);
  const auto loss = [&] {
    Dropout replay(kRate, 3, DropoutMask::kPerSequence);
    return weighted_sum(dropped(replay, x), weights);
  };
  EXPECT_TRUE(gradient_matches(x, grad, loss, "variational dropout input"));
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
