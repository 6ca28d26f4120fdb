#include "core/ops/softmax.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

using Forward = void (*)(const Tensor&, const std::vector<int64_t>&, int, Tensor&);
using Backward = void (*)(const Tensor&, const Tensor&, const std::vector<int64_t>&, int, Tensor&);

struct Case {
  Dims dims;  // {A, B, S}
  std::vector<int64_t> lengths;
  int axis;
};

// Rows with L = 0, L = S and in between, per-row lengths on either axis, and one case big enough for threads.
std::vector<Case> cases() {
  return {{{3, 2, 5}, {0, 5, 3}, 0}, {{2, 4, 6}, {6, 0, 1, 4}, 1}, {{4, 50, 200}, {200, 0, 1, 117}, 0}};
}

int64_t row_length(const Case& c, int64_t row) {
  return c.axis == 0 ? c.lengths[row / c.dims[1]] : c.lengths[row % c.dims[1]];
}

// The textbook formulas in double, row by row.
Tensor naive(const Tensor& x, const Case& c, bool log) {
  Tensor y(x.dims());
  const int64_t size = c.dims[2];
  for (int64_t r = 0; r < x.numel() / size; ++r) {
    const float* in = x.data() + r * size;
    const int64_t length = row_length(c, r);
    double total = 0;
    for (int64_t j = 0; j < length; ++j) total += std::exp(static_cast<double>(in[j]));
    for (int64_t j = 0; j < length; ++j) {
      y.data()[r * size + j] = static_cast<float>(log ? in[j] - std::log(total) : std::exp(in[j]) / total);
    }
  }
  return y;
}

void check_forward(Forward forward, bool log) {
  for (const Case& c : cases()) {
    const Tensor x = random_tensor(c.dims, 1, 5.0f);
    Tensor y;
    forward(x, c.lengths, c.axis, y);
    EXPECT_TRUE(all_close(y, naive(x, c, log), 1e-5, 1e-6));
    Tensor in_place = x.clone();
    forward(in_place, c.lengths, c.axis, in_place);
    EXPECT_TRUE(all_close(in_place, y, 0.0));
  }
}

void check_backward(Forward forward, Backward backward) {
  for (const Case& c : cases()) {
    Tensor x = random_tensor(c.dims, 2, 2.0f);
    const Tensor weights = random_tensor(c.dims, 3);
    Tensor y, dx;
    forward(x, c.lengths, c.axis, y);
    backward(y, weights, c.lengths, c.axis, dx);
    const auto loss = [&] {
      Tensor out;
      forward(x, c.lengths, c.axis, out);
      return weighted_sum(out, weights);
    };
    EXPECT_TRUE(gradient_matches(x, dx, loss, "softmax input", 1e-2, 2e-2, 1e-3, 100));
    for (int64_t r = 0; r < x.numel() / c.dims[2]; ++r) {
      for (int64_t j = row_length(c, r); j < c.dims[2]; ++j) ASSERT_EQ(dx.data()[r * c.dims[2] + j], 0.0f);
    }
    Tensor in_place = weights.clone();
    backward(y, in_place, c.lengths, c.axis, in_place);
    EXPECT_TRUE(all_close(in_place, dx, 0.0));
  }
}

TEST(MaskedSoftmax, MatchesNaiveAndZeroesPadding) { check_forward(masked_softmax, false); }
TEST(MaskedSoftmax, LogMatchesNaiveAndZeroesPadding) { check_forward(masked_log_softmax, true); }
TEST(MaskedSoftmax, BackwardMatchesFiniteDifferences) {
  check_backward(masked_softmax, masked_softmax_backward);
}
TEST(MaskedSoftmax, LogBackwardMatchesFiniteDifferences) {
  check_backward(masked_log_softmax, masked_log_softmax_backward);
}

TEST(MaskedSoftmax, EmptyRowsAreZeroNotNan) {
  const Tensor x = random_tensor({1, 2, 3}, 4);
  Tensor y, log_y;
  masked_softmax(x, {0}, 0, y);
  masked_log_softmax(x, {0}, 0, log_y);
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(y.data()[i], 0.0f);
    EXPECT_EQ(log_y.data()[i], 0.0f);
  }
}

TEST(MaskedSoftmax, LargeScoresStayFinite) {
  Tensor x({1, 1, 3});
  x.data()[0] = 1000.0f;
  x.data()[1] = -1000.0f;
  x.data()[2] = 999.0f;
  Tensor y;
  masked_softmax(x, {3}, 0, y);
  EXPECT_NEAR(y.data()[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_EQ(y.data()[1], 0.0f);
  masked_log_softmax(x, {3}, 0, y);
  EXPECT_NEAR(y.data()[1], -2000.0 - std::log(1.0 + std::exp(-1.0)), 1e-2);
}

TEST(MaskedSoftmax, RejectsBadLengths) {
  const Tensor x({2, 3, 4});
  Tensor y;
  EXPECT_THROW(masked_softmax(x, {1, 2}, 1, y), InternalError);  // axis 1 has 3 entries
  EXPECT_THROW(masked_softmax(x, {1, 5}, 0, y), InternalError);  // 5 > S
  EXPECT_THROW(masked_softmax(x, {1, 2}, 2, y), InternalError);
}

}  // namespace
}  // namespace ferry
