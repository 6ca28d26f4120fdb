#include "core/ops/quantize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/numeric.h"

namespace ferry {
namespace {

const int8_t* int8_data(const Tensor& t) { return static_cast<const int8_t*>(t.raw()); }

// round-half-away-from-zero of x / scale, computed in double.
int expected_level(float x, double scale) { return scale == 0 ? 0 : static_cast<int>(std::round(x / scale)); }

TEST(QuantizeRows, EachRowUsesItsLargestMagnitudeAndRoundsToTheNearestLevel) {
  Tensor x = random_tensor({4, 37}, 1, 3.0f);
  for (int64_t c = 0; c < 37; ++c) x.data()[2 * 37 + c] = 0.0f;  // an all-zero row
  x.data()[3 * 37 + 5] = -7.5f;                                  // a row whose largest value is negative
  Tensor q({0}, DType::kS8), scales;
  quantize_rows(x, q, scales);
  ASSERT_EQ(q.dims(), (Dims{4, 37}));
  ASSERT_EQ(scales.dims(), (Dims{4}));
  for (int64_t r = 0; r < 4; ++r) {
    double largest = 0;
    for (int64_t c = 0; c < 37; ++c) largest = std::max(largest, std::fabs(double{x.data()[r * 37 + c]}));
    EXPECT_NEAR(scales.data()[r], largest / 127, 1e-7 * largest) << "row " << r;
    for (int64_t c = 0; c < 37; ++c) {
      const float value = x.data()[r * 37 + c];
      EXPECT_EQ(int8_data(q)[r * 37 + c], expected_level(value, scales.data()[r])) << r << ", " << c;
      EXPECT_LE(std::fabs(int8_data(q)[r * 37 + c] * double{scales.data()[r]} - value),
                0.5 * scales.data()[r] * (1 + 1e-6))
          << r << ", " << c;
    }
  }
  EXPECT_EQ(scales.data()[2], 0.0f);
  EXPECT_EQ(int8_data(q)[3 * 37 + 5], -127);
}

TEST(QuantizeRows, ThreadedRowsMatchTheSameRowsAlone) {
  const Tensor x = random_tensor({300, 512}, 2);
  Tensor q({0}, DType::kS8), scales;
  quantize_rows(x, q, scales);
  Tensor one_q({0}, DType::kS8), one_scale;
  const Tensor row = x.slice(123, 124);
  quantize_rows(row, one_q, one_scale);
  EXPECT_EQ(one_scale.data()[0], scales.data()[123]);
  for (int64_t c = 0; c < 512; ++c) EXPECT_EQ(int8_data(one_q)[c], int8_data(q)[123 * 512 + c]);
}

TEST(QuantizeColumns, EachColumnUsesItsLargestMagnitudeAlsoThroughATransposedView) {
  const Tensor table = random_tensor({6, 5}, 3, 2.0f);  // read as its transpose {5, 6}
  const MatrixView w = matrix(table).transposed();
  Tensor q({0}, DType::kS8);
  std::vector<float> scales;
  quantize_columns(w, q, scales);
  ASSERT_EQ(q.dims(), (Dims{5, 6}));
  ASSERT_EQ(scales.size(), 6u);
  for (int64_t n = 0; n < 6; ++n) {
    double largest = 0;
    for (int64_t k = 0; k < 5; ++k) largest = std::max(largest, std::fabs(double{table.data()[n * 5 + k]}));
    EXPECT_NEAR(scales[n], largest / 127, 1e-7 * largest);
    for (int64_t k = 0; k < 5; ++k)
      EXPECT_EQ(int8_data(q)[k * 6 + n], expected_level(table.data()[n * 5 + k], scales[n]))
          << k << ", " << n;
  }
}

}  // namespace
}  // namespace ferry
