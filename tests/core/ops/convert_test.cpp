#include "core/ops/convert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "support/numeric.h"

namespace ferry {
namespace {

uint16_t bits_of(const Tensor& t, int64_t i) { return static_cast<const uint16_t*>(t.raw())[i]; }

TEST(Convert, RoundsToNearestEvenAndBack) {
  Tensor f({6}), b({6}, DType::kBF16), back({6});
  // bf16 keeps 7 mantissa bits (ulp 2^-7 at 1): 1 + 2^-8 lies halfway and rounds to the even neighbour 1;
  // 1 + 3·2^-9 (0.75 ulp) rounds up to 1 + 2^-7.
  const float values[6] = {1.0f, 1.0f + 1.0f / 256, 1.0f + 3.0f / 512, -2.5f, 0.0f,
                           std::numeric_limits<float>::quiet_NaN()};
  std::memcpy(f.data(), values, sizeof values);
  convert(f, b);
  EXPECT_EQ(bits_of(b, 0), 0x3F80);
  EXPECT_EQ(bits_of(b, 1), 0x3F80);
  EXPECT_EQ(bits_of(b, 2), 0x3F81);
  EXPECT_EQ(bits_of(b, 3), 0xC020);
  EXPECT_EQ(bits_of(b, 4), 0x0000);
  convert(b, back);
  EXPECT_EQ(back.data()[0], 1.0f);
  EXPECT_EQ(back.data()[2], 1.0f + 1.0f / 128);
  EXPECT_EQ(back.data()[3], -2.5f);
  EXPECT_TRUE(std::isnan(back.data()[5]));
}

TEST(Convert, RelativeErrorWithinHalfABf16Ulp) {
  const Tensor f = random_tensor({100000}, 3, 50.0f);
  Tensor b({100000}, DType::kBF16), back({100000});
  convert(f, b);
  convert(b, back);
  for (int64_t i = 0; i < f.numel(); ++i) {
    ASSERT_LE(std::abs(back.data()[i] - f.data()[i]), std::abs(f.data()[i]) * (1.0f / 256) + 1e-30f) << i;
  }
}

}  // namespace
}  // namespace ferry
