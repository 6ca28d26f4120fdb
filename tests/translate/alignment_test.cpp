#include "translate/alignment.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

TEST(Alignment, PiecesBelongToTheWordOfTheirFirstCharacter) {
  // "A man  walks ." as pieces "A", " m", "an", " ", " walk", "s", " ", ".", " ".
  const std::string text = "A man  walks . ";
  EXPECT_EQ(word_of_pieces(text, {1, 3, 5, 6, 11, 12, 13, 14, 15}),
            (std::vector<int>{0, 1, 1, 2, 2, 2, 3, 3, 3}));
  // A piece spanning two words belongs to the first.
  EXPECT_EQ(word_of_pieces("ab cd", {4, 5}), (std::vector<int>{0, 1}));
  EXPECT_EQ(word_of_pieces("  ", {1, 2}), (std::vector<int>{-1, -1}));
  EXPECT_TRUE(word_of_pieces("", {}).empty());
}

TEST(Alignment, WordWeightsSumPiecesAndAverageTargetPieces) {
  // Source pieces: w0 w1a w1b </s>; target pieces: v0a v0b v1 </s>.
  const std::vector<int> source = {0, 1, 1}, target = {0, 0, 1};
  const std::vector<float> attention = {
      0.5f, 0.2f, 0.2f, 0.1f,  // v0a: without </s>: 5/9, 2/9, 2/9
      0.0f, 0.4f, 0.4f, 0.2f,  // v0b: 0, 1/2, 1/2
      0.0f, 0.0f, 0.0f, 1.0f,  // v1: all on </s>: uniform 1/3 each
      0.3f, 0.3f, 0.3f, 0.1f,  // </s> row: not used
  };
  const auto words = word_alignment(attention, source, target);
  ASSERT_EQ(words.size(), 2u);
  ASSERT_EQ(words[0].size(), 2u);
  EXPECT_NEAR(words[0][0], (5.0 / 9 + 0) / 2, 1e-6);
  EXPECT_NEAR(words[0][1], (4.0 / 9 + 1) / 2, 1e-6);
  EXPECT_NEAR(words[1][0], 1.0 / 3, 1e-6);
  EXPECT_NEAR(words[1][1], 2.0 / 3, 1e-6);
  for (const auto& row : words) EXPECT_NEAR(row[0] + row[1], 1.0, 1e-6);
  EXPECT_EQ(format_hard_alignment(words), "1-0 1-1");
  EXPECT_EQ(format_soft_alignment(words), "0.2778,0.7222 0.3333,0.6667");
}

TEST(Alignment, HardAlignmentTakesTheMostAttendedWordAndTiesToTheFirst) {
  EXPECT_EQ(format_hard_alignment({{0.1, 0.6, 0.3}, {0.5, 0.5, 0.0}, {0.0, 0.2, 0.8}}), "1-0 0-1 2-2");
  EXPECT_EQ(format_hard_alignment({}), "");
}

TEST(Alignment, NothingToAlignWhenEitherSideHasNoWord) {
  EXPECT_TRUE(word_alignment({1.0f}, {}, {}).empty());
  EXPECT_TRUE(word_alignment({0.7f, 0.3f}, {0}, {}).empty());
  EXPECT_TRUE(word_alignment({0.5f, 0.5f, 0.5f, 0.5f}, {0}, {-1}).empty());
  EXPECT_THROW(word_alignment({1.0f, 0.0f}, {0}, {0}), InternalError);
}

TEST(Alignment, AWordWithoutPiecesGetsUniformWeights) {
  // Target words 0 and 2 have pieces; word 1 lies inside the piece of word 0.
  const auto words = word_alignment({1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 1}, {0, 2});
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(words[1], (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(words[2], (std::vector<double>{0.0, 1.0}));
}

TEST(Alignment, KindsByName) {
  EXPECT_EQ(parse_alignment_kind("hard"), AlignmentKind::kHard);
  EXPECT_EQ(parse_alignment_kind("soft"), AlignmentKind::kSoft);
  EXPECT_THROW(parse_alignment_kind("fuzzy"), InputError);
}

}  // namespace
}  // namespace ferry
