// A search step's weight over a range of a parameter's rows, at each precision, against x·W in double over
// those rows; and the bf16 and 8-bit copies following a change of the parameter.
#include "core/layers/step_weight.h"

#include <gtest/gtest.h>

#include <string>

#include "core/context.h"
#include "support/model_case.h"
#include "support/numeric.h"
#include "support/reference_math.h"

namespace ferry {
namespace {

constexpr int64_t kRows = 7, kCols = 10, kFirst = 2, kCount = 4, kInputs = 3;

// x·W[first, first + count) in double, row by row.
Vectors expected_products(const Tensor& x, const Tensor& weight) {
  Vectors out;
  for (int64_t m = 0; m < x.dim(0); ++m) {
    Vector row(kCols, 0.0);
    for (int64_t k = 0; k < kCount; ++k) {
      for (int64_t n = 0; n < kCols; ++n)
        row[n] += double{x.data()[m * kCount + k]} * weight.data()[(kFirst + k) * kCols + n];
    }
    out.push_back(row);
  }
  return out;
}

// The products as x·W: scaled by the row scales where there are some.
Vectors as_products(const Tensor& products, const float* scales) {
  Vectors out;
  for (int64_t m = 0; m < products.dim(0); ++m) {
    Vector row = row_of(products, m);
    for (double& v : row) v *= scales ? scales[m] : 1.0f;
    out.push_back(row);
  }
  return out;
}

class StepWeightTest : public ::testing::TestWithParam<Precision> {};

TEST_P(StepWeightTest, MultipliesItsRowsAndFollowsTheParameter) {
  const Precision precision = GetParam();
  if (precision == Precision::kInt8 && !Context::has_int8_dot_products())
    GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  ParamRegistry params;
  Parameter& weight = params.add("w", {kRows, kCols}, Init::uniform(0.5f));
  randomize_parameters(params, 81);
  StepWeight step(weight, kFirst, kCount, precision);
  ASSERT_EQ(step.in(), kCount);
  ASSERT_EQ(step.out(), kCols);
  const Tensor x = random_tensor({kInputs, kCount}, 82);
  // bf16 operands carry 8 bits of mantissa; 8-bit ones 1/127 of each row's and column's range.
  const double tolerance = precision == Precision::kF32 ? 1e-6 : precision == Precision::kBf16 ? 1e-2 : 2e-2;
  Tensor products;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const float* scales = step.multiply(x, products);
    ASSERT_EQ(products.dims(), (Dims{kInputs, kCols}));
    EXPECT_EQ(scales != nullptr, precision == Precision::kInt8);
    EXPECT_TRUE(vectors_close(as_products(products, scales), expected_products(x, weight.value), 0, tolerance));
    // New values: the copies must follow.
    for (int64_t i = 0; i < weight.value.numel(); ++i) weight.value.data()[i] = -2.0f * weight.value.data()[i];
    weight.changed();
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, StepWeightTest,
                         ::testing::Values(Precision::kF32, Precision::kBf16, Precision::kInt8),
                         [](const auto& info) { return std::string(precision_name(info.param)); });

}  // namespace
}  // namespace ferry
