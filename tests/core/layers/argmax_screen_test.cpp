#include "core/layers/argmax_screen.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/ops/quantize.h"
#include "support/numeric.h"

namespace ferry {
namespace {

constexpr int64_t kHidden = 64, kVocab = 500;
const std::vector<int> kExcluded = {0, 2};

Parameter parameter(const std::string& name, Tensor value) {
  Parameter p;
  p.name = name;
  p.value = std::move(value);
  return p;
}

bool excluded(int64_t j) { return j == 0 || j == 2; }

// x·W[:, j] + b[j] of every eligible column in double; w {H, V}.
std::vector<double> exact_values(const Tensor& x, int64_t r, const Tensor& w, const Tensor& b) {
  const int64_t hidden = w.dim(0), vocab = w.dim(1);
  std::vector<double> values(static_cast<size_t>(vocab), -std::numeric_limits<double>::infinity());
  for (int64_t j = 0; j < vocab; ++j) {
    if (excluded(j)) continue;
    double sum = b.data()[j];
    for (int64_t i = 0; i < hidden; ++i) sum += double{x.data()[r * hidden + i]} * w.data()[i * vocab + j];
    values[static_cast<size_t>(j)] = sum;
  }
  return values;
}

int argmax(const std::vector<double>& values) {
  int best = -1;
  for (size_t j = 0; j < values.size(); ++j)
    if (best < 0 ? values[j] > -std::numeric_limits<double>::infinity() : values[j] > values[best])
      best = static_cast<int>(j);
  return best;
}

// The screen's choice is the exact argmax, or where the two best exact values lie within f32 rounding of
// each other, a column of the largest value to that rounding.
void expect_exact_best(const Tensor& x, const Tensor& w, const Tensor& b, const std::vector<int>& best) {
  for (int64_t r = 0; r < x.dim(0); ++r) {
    const std::vector<double> values = exact_values(x, r, w, b);
    const int expected = argmax(values);
    const int got = best[static_cast<size_t>(r)];
    ASSERT_GE(got, 0) << "row " << r;
    if (got != expected)
      EXPECT_NEAR(values[static_cast<size_t>(got)], values[static_cast<size_t>(expected)], 1e-5)
          << "row " << r << ": column " << got << " chosen, " << expected << " is best";
  }
}

class ArgmaxScreenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ArgmaxScreen::available()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  }
};

// Rows whose best columns lie closer together than the 8-bit product can tell: the 8-bit values alone choose
// another column in some rows, and the screen still chooses f32's, computing few columns in f32.
TEST_F(ArgmaxScreenTest, ChoosesTheF32BestWhereEightBitsAloneWouldNot) {
  Parameter w = parameter("w", random_tensor({kHidden, kVocab}, 1, 0.5f));
  Parameter b = parameter("b", random_tensor({kVocab}, 2, 0.5f));
  const Tensor x = random_tensor({300, kHidden}, 3);
  ArgmaxScreen screen(w, false, b, kExcluded);
  std::vector<int> best;
  screen.best_columns(x, best);
  ASSERT_EQ(best.size(), 300u);
  expect_exact_best(x, w.value, b.value, best);

  Int8Weight int8(w);
  Tensor products, scales;
  int8.multiply(x, products, scales);
  int eight_bit_differs = 0;
  for (int64_t r = 0; r < x.dim(0); ++r) {
    int eight_bit_best = -1;
    float top = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < kVocab; ++j) {
      const float y = scales.data()[r] * products.data()[r * kVocab + j] + b.value.data()[j];
      if (!excluded(j) && y > top) top = y, eight_bit_best = static_cast<int>(j);
    }
    eight_bit_differs += eight_bit_best != argmax(exact_values(x, r, w.value, b.value));
  }
  EXPECT_GT(eight_bit_differs, 0) << "the rows do not test the screen: 8 bits alone choose right everywhere";
  EXPECT_EQ(screen.screened_rows(), 300);
  EXPECT_GT(screen.confirmed_columns(), 300);  // the close rows needed more than one column
  EXPECT_LT(screen.confirmed_columns(), 300 * kVocab / 20) << "the screen left most columns in";
}

TEST_F(ArgmaxScreenTest, TiesGoToTheLowerColumnAndExcludedColumnsNeverCount) {
  Parameter w = parameter("w", random_tensor({kHidden, kVocab}, 4, 0.1f));
  Parameter b = parameter("b", Tensor({kVocab}));
  const Tensor x = random_tensor({1, kHidden}, 5);
  // Columns 0 (excluded), 9 and 7 are equal and far above the rest; 2 (excluded) more so.
  for (int64_t i = 0; i < kHidden; ++i) {
    const float toward_x = x.data()[i] > 0 ? 1.0f : -1.0f;
    for (const int64_t j : {0, 7, 9}) w.value.data()[i * kVocab + j] = toward_x;
    w.value.data()[i * kVocab + 2] = 2 * toward_x;
  }
  ArgmaxScreen screen(w, false, b, kExcluded);
  std::vector<int> best;
  screen.best_columns(x, best);
  EXPECT_EQ(best[0], 7);
}

TEST_F(ArgmaxScreenTest, ReadsATableAsItsTranspose) {
  Parameter table = parameter("table", random_tensor({kVocab, kHidden}, 6, 0.5f));
  Parameter w = parameter("w", Tensor({kHidden, kVocab}));
  for (int64_t j = 0; j < kVocab; ++j)
    for (int64_t i = 0; i < kHidden; ++i)
      w.value.data()[i * kVocab + j] = table.value.data()[j * kHidden + i];
  Parameter b = parameter("b", random_tensor({kVocab}, 7, 0.5f));
  const Tensor x = random_tensor({50, kHidden}, 8);
  ArgmaxScreen screen(table, true, b, kExcluded);
  std::vector<int> best;
  screen.best_columns(x, best);
  expect_exact_best(x, w.value, b.value, best);
}

TEST_F(ArgmaxScreenTest, ZeroAndNonFiniteRows) {
  Parameter w = parameter("w", random_tensor({kHidden, kVocab}, 9, 0.5f));
  Parameter b = parameter("b", random_tensor({kVocab}, 10, 0.5f));
  Tensor x = random_tensor({3, kHidden}, 11);
  for (int64_t i = 0; i < kHidden; ++i) x.data()[i] = 0.0f;         // row 0: the bias decides
  x.data()[kHidden + 5] = std::numeric_limits<float>::quiet_NaN();  // row 1: no column has a value
  ArgmaxScreen screen(w, false, b, kExcluded);
  std::vector<int> best;
  screen.best_columns(x, best);
  std::vector<double> bias(b.value.data(), b.value.data() + kVocab);
  for (const int j : kExcluded) bias[static_cast<size_t>(j)] = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(best[0], argmax(bias));
  EXPECT_EQ(best[1], -1);
  EXPECT_EQ(best[2], argmax(exact_values(x, 2, w.value, b.value)));
}

TEST_F(ArgmaxScreenTest, FollowsTheWeightWhenItChanges) {
  Parameter w = parameter("w", random_tensor({kHidden, kVocab}, 12, 0.5f));
  Parameter b = parameter("b", random_tensor({kVocab}, 13, 0.5f));
  const Tensor x = random_tensor({40, kHidden}, 14);
  ArgmaxScreen screen(w, false, b, kExcluded);
  std::vector<int> before, after;
  screen.best_columns(x, before);
  fill_random(w.value, 15, 0.5f);
  w.changed();
  screen.best_columns(x, after);
  expect_exact_best(x, w.value, b.value, after);
  EXPECT_NE(before, after);
}

}  // namespace
}  // namespace ferry
