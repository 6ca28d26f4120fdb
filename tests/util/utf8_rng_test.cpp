#include <gtest/gtest.h>

#include "util/rng.h"
#include "util/utf8.h"

namespace ferry {
namespace {

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8("Grüße, 世界 🚲"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, CleanLineNormalisesWhitespaceAndRepairs) {
  TextRepairs repairs;
  EXPECT_EQ(clean_line("  Ein \t Hund\u00A0läuft.\r", &repairs), "Ein Hund läuft.");
  EXPECT_EQ(repairs.invalid_utf8, 0u);
  EXPECT_EQ(clean_line("a\xFF" "b\x01" "c", &repairs), "a\xEF\xBF\xBD" "bc");
  EXPECT_EQ(repairs.invalid_utf8, 1u);
  EXPECT_EQ(repairs.control_chars, 1u);
  EXPECT_EQ(clean_line(std::string("x\0y", 3), &repairs), "xy");
  EXPECT_EQ(clean_line(" \t "), "");
}

TEST(Rng, DeterministicPerSeedAndStream) {
  Rng a(7), b(7), c(8), d(7, 1);
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs_c |= x != c.next_u64();
    differs_d |= x != d.next_u64();
  }
  EXPECT_TRUE(differs_c);
  EXPECT_TRUE(differs_d);
}

TEST(Rng, StateRoundTripAndRanges) {
  Rng a(3);
  for (int i = 0; i < 10; ++i) a.next_u64();
  Rng b(99);
  b.set_state(a.state());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next_u64(), b.next_u64());
  std::vector<int> counts(5, 0);
  for (int i = 0; i < 50000; ++i) {
    const float u = a.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    ++counts[a.below(5)];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(Rng, ShuffleIsAPermutation) {
  Rng rng(5);
  std::vector<int> items(100);
  for (int i = 0; i < 100; ++i) items[i] = i;
  rng.shuffle(items);
  std::vector<int> sorted = items;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_NE(items, sorted);
}

}  // namespace
}  // namespace ferry
