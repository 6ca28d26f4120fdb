#include "core/precision.h"

#include <gtest/gtest.h>

#include "core/context.h"
#include "util/error.h"

namespace ferry {
namespace {

TEST(Precision, NamesRoundTripAndOthersAreRefused) {
  for (const Precision p : {Precision::kF32, Precision::kBf16, Precision::kInt8})
    EXPECT_EQ(parse_precision(precision_name(p)), p);
  EXPECT_THROW(parse_precision("f16"), InputError);
}

// Layers without 8-bit weights in an int8 model run in bf16 where the CPU multiplies bf16, else in f32.
TEST(Precision, Int8FallsBackToBf16WhereTheCpuHasIt) {
  EXPECT_EQ(float_precision(Precision::kF32), Precision::kF32);
  EXPECT_EQ(float_precision(Precision::kBf16), Precision::kBf16);
  const Precision fallback = Context::has_bf16_dot_products() ? Precision::kBf16 : Precision::kF32;
  EXPECT_EQ(float_precision(Precision::kInt8), fallback);
  EXPECT_EQ(compute_type(Precision::kF32), DType::kF32);
  EXPECT_EQ(compute_type(Precision::kBf16), DType::kBF16);
  EXPECT_EQ(compute_type(Precision::kInt8), fallback == Precision::kBf16 ? DType::kBF16 : DType::kF32);
}

}  // namespace
}  // namespace ferry
