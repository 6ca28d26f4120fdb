#include "core/ops/sequence.h"

#include <gtest/gtest.h>

#include "support/numeric.h"

namespace ferry {
namespace {

float at(const Tensor& x, int64_t t, int64_t n, int64_t c) {
  return x.data()[(t * x.dim(1) + n) * x.dim(2) + c];
}

TEST(Sequence, ReverseWithinLengthsAndBack) {
  const Tensor x = random_tensor({5, 3, 2}, 1);
  const std::vector<int> lengths = {5, 2, 0};
  Tensor r({5, 3, 2}), back({5, 3, 2});
  reverse_within_lengths(x, lengths, r);
  for (int64_t n = 0; n < 3; ++n) {
    for (int64_t t = 0; t < 5; ++t) {
      for (int64_t c = 0; c < 2; ++c) {
        const float expected = t < lengths[n] ? at(x, lengths[n] - 1 - t, n, c) : 0.0f;
        ASSERT_EQ(at(r, t, n, c), expected) << t << "," << n << "," << c;
      }
    }
  }
  reverse_within_lengths(r, lengths, back);
  Tensor masked = x.clone();
  zero_after_lengths(masked, lengths);
  EXPECT_TRUE(all_close(back, masked, 0, 0));
  EXPECT_EQ(at(masked, 2, 1, 0), 0.0f);
  EXPECT_EQ(at(masked, 1, 1, 1), at(x, 1, 1, 1));
}

TEST(Sequence, GatherRowsAndColumns) {
  const Tensor x = random_tensor({4, 3}, 2);
  Tensor g({3, 3});
  gather_rows(x, {3, 0, 3}, g);
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(g.data()[c], x.data()[9 + c]);
    EXPECT_EQ(g.data()[3 + c], x.data()[c]);
    EXPECT_EQ(g.data()[6 + c], x.data()[9 + c]);
  }
  const Tensor s = random_tensor({2, 4, 3}, 3);
  Tensor cols({2, 2, 3});
  gather_columns(s, {2, 1}, cols);
  for (int t = 0; t < 2; ++t) {
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(at(cols, t, 0, c), at(s, t, 2, c));
      EXPECT_EQ(at(cols, t, 1, c), at(s, t, 1, c));
    }
  }
}

TEST(Sequence, ConcatAndSplitChannels) {
  const Tensor a = random_tensor({2, 3, 4}, 4), b = random_tensor({2, 3, 5}, 5);
  Tensor both({2, 3, 9});
  concat_channels(a, b, both);
  EXPECT_EQ(at(both, 1, 2, 3), at(a, 1, 2, 3));
  EXPECT_EQ(at(both, 1, 2, 4), at(b, 1, 2, 0));
  Tensor a2({2, 3, 4}), b2({2, 3, 5});
  split_channels(both, a2, b2);
  EXPECT_TRUE(all_close(a2, a, 0, 0));
  EXPECT_TRUE(all_close(b2, b, 0, 0));
  split_channels(both, a2, b2, true);
  EXPECT_FLOAT_EQ(at(a2, 0, 1, 2), 2 * at(a, 0, 1, 2));
  EXPECT_FLOAT_EQ(at(b2, 1, 0, 4), 2 * at(b, 1, 0, 4));
}

}  // namespace
}  // namespace ferry
