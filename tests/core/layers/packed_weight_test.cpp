// A weight packed once for the search's products, against x·W (+ b) in double on the operands as the
// products see them (bf16-rounded in bf16): for a range of a parameter's rows and for the transpose of a
// whole parameter, at row counts from 1 to 160 (one packed layout serves them all), with and without bias;
// the packed copy following the parameter's version, and shared between networks reading the same storage.
#include "core/layers/packed_weight.h"

#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <string>

#include "core/ops/convert.h"
#include "support/model_case.h"
#include "support/numeric.h"
#include "support/reference_math.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr int64_t kParamRows = 40, kParamCols = 37;  // 37: columns past a whole vector block

// v as an operand of `dtype`'s products: bf16 keeps the top 8 bits of mantissa (rounded to nearest even).
double operand(float v, DType dtype) {
  if (dtype == DType::kF32) return v;
  uint16_t half;
  round_to_bf16(&v, 1, &half);
  const uint32_t bits = uint32_t{half} << 16;
  float rounded;
  std::memcpy(&rounded, &bits, sizeof rounded);
  return rounded;
}

Vectors rows_of(const Tensor& y) {
  Vectors out;
  for (int64_t m = 0; m < y.dim(0); ++m) out.push_back(row_of(y, m));
  return out;
}

struct Case {
  const char* name;
  int64_t first_row, rows;
  bool transposed;
};
void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

class PackedWeightTest : public ::testing::TestWithParam<std::tuple<DType, Case>> {};

// The weight {K, N} as the case reads it from the parameter.
float weight_at(const Tensor& value, const Case& c, int64_t k, int64_t n) {
  return c.transposed ? value.data()[n * kParamCols + k] : value.data()[(c.first_row + k) * kParamCols + n];
}

Vectors expected(const Tensor& x, const Tensor& value, const Case& c, DType dtype, const float* bias) {
  const int64_t K = x.dim(1), N = c.transposed ? kParamRows : kParamCols;
  Vectors w(static_cast<size_t>(K), Vector(static_cast<size_t>(N)));
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) w[k][n] = operand(weight_at(value, c, k, n), dtype);
  Vectors out;
  for (int64_t m = 0; m < x.dim(0); ++m) {
    Vector row(static_cast<size_t>(N), 0.0);
    for (int64_t k = 0; k < K; ++k) {
      const double x_mk = operand(x.data()[m * K + k], dtype);
      for (int64_t n = 0; n < N; ++n) row[n] += x_mk * w[k][n];
    }
    if (bias)
      for (int64_t n = 0; n < N; ++n) row[n] += bias[n];
    out.push_back(row);
  }
  return out;
}

TEST_P(PackedWeightTest, MultipliesAtEveryRowCountAndFollowsTheParameter) {
  const auto [dtype, c] = GetParam();
  ParamRegistry params;
  Parameter& weight = params.add("w", {kParamRows, kParamCols}, Init::uniform(0.5f));
  randomize_parameters(params, 91);
  PackedWeight packed(weight, c.first_row, c.rows, c.transposed, dtype);
  const int64_t K = c.transposed ? kParamCols : c.rows, N = c.transposed ? kParamRows : kParamCols;
  ASSERT_EQ(packed.in(), K);
  ASSERT_EQ(packed.out(), N);
  const Tensor bias = random_tensor({N}, 92);
  for (int round = 0; round < 2; ++round) {
    for (const int64_t rows : {1, 2, 5, 16, 33, 160}) {
      for (const bool with_bias : {false, true}) {
        SCOPED_TRACE("round " + std::to_string(round) + ", " + std::to_string(rows) + " rows" +
                     (with_bias ? ", bias" : ""));
        const Tensor x = random_tensor({rows, K}, 93 + static_cast<uint64_t>(rows));
        Tensor x_operand(x.dims(), dtype);
        convert(x, x_operand);
        Tensor y;
        const float* b = with_bias ? bias.data() : nullptr;
        packed.multiply(x_operand, y, b);
        ASSERT_EQ(y.dims(), (Dims{rows, N}));
        // The products accumulate in f32: a few units in the last place of the largest terms.
        EXPECT_TRUE(vectors_close(rows_of(y), expected(x, weight.value, c, dtype, b), 1e-5, 1e-5));
      }
    }
    // New values: the packed copy must follow.
    for (int64_t i = 0; i < weight.value.numel(); ++i) weight.value.data()[i] = 0.25f - 2.0f * weight.value.data()[i];
    weight.changed();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PackedWeightTest,
    ::testing::Combine(::testing::Values(DType::kF32, DType::kBF16),
                       ::testing::Values(Case{"RowRange", 3, 21, false}, Case{"Whole", 0, kParamRows, false},
                                         Case{"Transposed", 0, kParamRows, true})),
    [](const auto& info) {
      return std::string(std::get<0>(info.param) == DType::kF32 ? "F32" : "Bf16") + std::get<1>(info.param).name;
    });

TEST(PackedWeight, NetworksSharingAParameterStorageShareTheCopy) {
  ParamRegistry params;
  Parameter& weight = params.add("w", {kParamRows, kParamCols}, Init::uniform(0.5f));
  randomize_parameters(params, 94);
  ParamRegistry shared(false, &params);
  Parameter& other = shared.add("w", {kParamRows, kParamCols}, Init::uniform(0.5f));
  PackedWeight a(weight, 0, kParamRows, false, DType::kF32), b(other, 0, kParamRows, false, DType::kF32);
  PackedWeight rows_apart(weight, 1, kParamRows - 1, false, DType::kF32);
  const Tensor x = random_tensor({4, kParamRows}, 95), x_short = random_tensor({4, kParamRows - 1}, 96);
  Tensor y_a, y_b, y_rows;
  a.multiply(x, y_a);
  b.multiply(x, y_b);
  rows_apart.multiply(x_short, y_rows);
  ASSERT_NE(a.packed_data(), nullptr);
  EXPECT_EQ(a.packed_data(), b.packed_data());
  EXPECT_NE(a.packed_data(), rows_apart.packed_data());
  EXPECT_EQ(std::memcmp(y_a.data(), y_b.data(), y_a.bytes()), 0);
  // A new version is packed anew, for the one that multiplies next.
  weight.value.data()[0] += 1.0f;
  weight.changed();
  const void* before = b.packed_data();
  a.multiply(x, y_a);
  EXPECT_EQ(b.packed_data(), before);
  EXPECT_NE(a.packed_data(), before);
}

TEST(PackedWeight, RefusesAnInputOfOtherWidthOrType) {
  ParamRegistry params;
  Parameter& weight = params.add("w", {kParamRows, kParamCols}, Init::uniform(0.5f));
  PackedWeight packed(weight, 0, kParamRows, false, DType::kBF16);
  Tensor y;
  EXPECT_THROW(packed.multiply(Tensor({2, kParamRows}), y), InternalError);  // f32, not bf16
  EXPECT_THROW(packed.multiply(Tensor({2, kParamRows + 1}, DType::kBF16), y), InternalError);
  EXPECT_THROW(PackedWeight(weight, 5, kParamRows, false, DType::kF32), InternalError);
  EXPECT_THROW(PackedWeight(weight, 1, kParamRows - 1, true, DType::kF32), InternalError);
}

}  // namespace
}  // namespace ferry
