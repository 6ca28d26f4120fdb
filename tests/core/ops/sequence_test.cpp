// The sequence rearrangements, and the adjoints that backward passes use for those they walk back through
// (the encoder's reversal and masking, the encoder's and decoder's channel concatenation and split) against
// central differences of loss = sum(w * out) with fixed random w: reverse_within_lengths and
// zero_after_lengths are their own adjoints, split_channels is the adjoint of concat_channels and the other
// way round. The gathers are read only by search and by the output layer, whose backward scatters its rows
// back itself (checked in output_layer_test.cpp).
#include "core/ops/sequence.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

struct LengthsCase {
  const char* name;
  int64_t steps;
  std::vector<int> lengths;
};

class SequenceGradient : public ::testing::TestWithParam<LengthsCase> {
 protected:
  Tensor random_sequence(int64_t channels, uint64_t seed) const {
    return random_tensor({GetParam().steps, static_cast<int64_t>(GetParam().lengths.size()), channels}, seed);
  }
};

TEST_P(SequenceGradient, ReverseWithinLengthsIsItsOwnAdjoint) {
  const std::vector<int>& lengths = GetParam().lengths;
  Tensor x = random_sequence(3, 1), out = random_sequence(3, 2);
  const Tensor w = random_sequence(3, 3);
  Tensor d_x(x.dims());
  reverse_within_lengths(w, lengths, d_x);
  EXPECT_TRUE(zero_after(d_x, lengths, "reversed gradient"));
  EXPECT_TRUE(every_gradient_element_matches(
      x, d_x,
      [&] {
        reverse_within_lengths(x, lengths, out);
        return weighted_sum(out, w);
      },
      "reversed input"));
}

TEST_P(SequenceGradient, ZeroAfterLengthsIsItsOwnAdjoint) {
  const std::vector<int>& lengths = GetParam().lengths;
  Tensor x = random_sequence(2, 4);
  const Tensor w = random_sequence(2, 5);
  Tensor d_x = w.clone();
  zero_after_lengths(d_x, lengths);
  EXPECT_TRUE(every_gradient_element_matches(
      x, d_x,
      [&] {
        Tensor out = x.clone();
        zero_after_lengths(out, lengths);
        return weighted_sum(out, w);
      },
      "masked input"));
}

TEST_P(SequenceGradient, SplitChannelsIsTheAdjointOfConcat) {
  Tensor a = random_sequence(2, 6), b = random_sequence(3, 7), both = random_sequence(5, 8);
  const Tensor w = random_sequence(5, 9);
  Tensor d_a(a.dims()), d_b(b.dims());
  split_channels(w, d_a, d_b);
  const auto loss = [&] {
    concat_channels(a, b, both);
    return weighted_sum(both, w);
  };
  EXPECT_TRUE(every_gradient_element_matches(a, d_a, loss, "first part"));
  EXPECT_TRUE(every_gradient_element_matches(b, d_b, loss, "second part"));
}

TEST_P(SequenceGradient, ConcatChannelsIsTheAdjointOfSplit) {
  Tensor x = random_sequence(5, 10), a = random_sequence(2, 11), b = random_sequence(3, 12);
  const Tensor w_a = random_sequence(2, 13), w_b = random_sequence(3, 14);
  Tensor d_x(x.dims());
  concat_channels(w_a, w_b, d_x);
  EXPECT_TRUE(every_gradient_element_matches(
      x, d_x,
      [&] {
        split_channels(x, a, b);
        return weighted_sum(a, w_a) + weighted_sum(b, w_b);
      },
      "joined channels"));
}

INSTANTIATE_TEST_SUITE_P(Lengths, SequenceGradient,
                         ::testing::Values(LengthsCase{"full_short_empty", 5, {5, 2, 0}},
                                           LengthsCase{"mixed", 4, {3, 4, 1, 2}},
                                           LengthsCase{"one_step", 1, {1, 0}}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ferry
