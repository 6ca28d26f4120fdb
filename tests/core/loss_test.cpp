#include "core/loss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "support/numeric.h"
#include "support/thread_count.h"
#include "util/error.h"
#include "util/rng.h"

namespace ferry {
namespace {

constexpr int32_t kPad = 1;

// -sum_j q_j log p_j per counted row, from the definitions, in double.
double naive_loss(const Tensor& logits, const std::vector<int32_t>& targets, double eps) {
  const int64_t size = logits.dim(1);
  double total = 0;
  for (size_t r = 0; r < targets.size(); ++r) {
    if (targets[r] == kPad) continue;
    const float* row = logits.data() + r * size;
    double norm = 0;
    for (int64_t j = 0; j < size; ++j) norm += std::exp(static_cast<double>(row[j]));
    for (int64_t j = 0; j < size; ++j) {
      const double q = (j == targets[r] ? 1.0 - eps : 0.0) + eps / size;
      total -= q * std::log(std::exp(static_cast<double>(row[j])) / norm);
    }
  }
  return total;
}

std::vector<int32_t> targets_with_pads(int64_t rows, int32_t vocab, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> targets(static_cast<size_t>(rows));
  for (int32_t& t : targets) t = static_cast<int32_t>(rng.below(static_cast<uint64_t>(vocab)));
  targets[0] = kPad;
  targets[rows - 1] = kPad;
  return targets;
}

TEST(CrossEntropy, HandComputedValues) {
  Tensor logits({2, 2});
  logits.data()[1] = static_cast<float>(std::log(3.0));  // p = {1/4, 3/4}
  logits.data()[2] = 5.0f;                               // a pad row: not counted
  const std::vector<int32_t> targets = {0, kPad};
  LossSum plain = cross_entropy(logits, targets, kPad);
  EXPECT_EQ(plain.tokens, 1);
  EXPECT_NEAR(plain.loss, -std::log(0.25), 1e-6);
  // eps = 0.2 over V = 2: q = {0.9, 0.1}
  LossSum smoothed = cross_entropy(logits, targets, kPad, 0.2f);
  EXPECT_NEAR(smoothed.loss, -(0.9 * std::log(0.25) + 0.1 * std::log(0.75)), 1e-6);
}

TEST(CrossEntropy, MatchesNaiveWithPadsAndSmoothing) {
  for (float eps : {0.0f, 0.1f}) {
    for (auto [rows, vocab] : {std::pair<int64_t, int32_t>{6, 5}, {70, 900}}) {
      const Tensor logits = random_tensor({rows, vocab}, 1, 4.0f);
      const std::vector<int32_t> targets = targets_with_pads(rows, vocab, 2);
      const LossSum sum = cross_entropy(logits, targets, kPad, eps);
      const int64_t pads = std::count(targets.begin(), targets.end(), kPad);
      EXPECT_EQ(sum.tokens, rows - pads);
      const double expected = naive_loss(logits, targets, eps);
      EXPECT_NEAR(sum.loss, expected, 1e-5 * std::abs(expected) + 1e-6);
    }
  }
}

TEST(CrossEntropy, GradientMatchesFiniteDifferencesAndZeroesPadRows) {
  constexpr float kScale = 0.5f;
  for (float eps : {0.0f, 0.1f}) {
    for (auto [rows, vocab] : {std::pair<int64_t, int32_t>{6, 5}, {70, 900}}) {
      Tensor logits = random_tensor({rows, vocab}, 3, 2.0f);
      const std::vector<int32_t> targets = targets_with_pads(rows, vocab, 4);
      Tensor grad = logits.clone();
      const LossSum with_grad = cross_entropy_with_grad(grad, targets, kPad, eps, kScale);
      const double without_grad = cross_entropy(logits, targets, kPad, eps).loss;
      EXPECT_NEAR(with_grad.loss, without_grad, 1e-12 * std::abs(without_grad));
      const auto loss = [&] { return kScale * cross_entropy(logits, targets, kPad, eps).loss; };
      EXPECT_TRUE(gradient_matches(logits, grad, loss, "logits", 1e-2, 2e-2, 1e-4, 100));
      for (int64_t j = 0; j < vocab; ++j) {
        ASSERT_EQ(grad.data()[j], 0.0f);
        ASSERT_EQ(grad.data()[(rows - 1) * vocab + j], 0.0f);
      }
    }
  }
}

TEST(CrossEntropy, StableForHugeLogits) {
  Tensor logits({1, 3});
  logits.data()[0] = 1e4f;
  logits.data()[1] = -1e4f;
  logits.data()[2] = 1e4f - 1.0f;
  const LossSum sum = cross_entropy_with_grad(logits, {1}, -1, 0.0f, 1.0f);
  EXPECT_NEAR(sum.loss, 2e4 + std::log(1.0 + std::exp(-1.0)), 1e-2);
  EXPECT_NEAR(logits.data()[1], -1.0, 1e-6);
  EXPECT_NEAR(logits.data()[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
}

TEST(CrossEntropy, LossDoesNotDependOnThreadCount) {
  const Tensor logits = random_tensor({300, 500}, 5, 3.0f);
  const std::vector<int32_t> targets = targets_with_pads(300, 500, 6);
  const auto loss = [&] { return cross_entropy(logits, targets, kPad, 0.1f).loss; };
  const double one = with_threads(1, loss);
  const double two = with_threads(2, loss);
  EXPECT_EQ(one, two);
}

TEST(CrossEntropy, RejectsBadInput) {
  const Tensor logits({2, 3});
  EXPECT_THROW(cross_entropy(logits, {0}, kPad), InternalError);
  EXPECT_THROW(cross_entropy(logits, {0, 3}, kPad), InternalError);
  EXPECT_THROW(cross_entropy(logits, {0, 2}, kPad, 1.0f), InternalError);
  EXPECT_THROW(cross_entropy(Tensor({2, 3, 1}), {0, 0}, kPad), InternalError);
}

}  // namespace
}  // namespace ferry
