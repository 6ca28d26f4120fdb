#include "eval/ngram_counts.h"

#include <gtest/gtest.h>

#include "eval/unicode_text.h"

namespace ferry {
namespace {

TEST(NgramCounts, WordNgramsOfOneOrder) {
  const std::vector<std::string_view> words = {"a", "b", "a", "b"};
  EXPECT_EQ(count_word_ngrams(words, 1), (NgramCounts{{"a", 2}, {"b", 2}}));
  EXPECT_EQ(count_word_ngrams(words, 2), (NgramCounts{{"a b", 2}, {"b a", 1}}));
  EXPECT_EQ(count_word_ngrams(words, 4), (NgramCounts{{"a b a b", 1}}));
  EXPECT_TRUE(count_word_ngrams(words, 5).empty());
  EXPECT_TRUE(count_word_ngrams({}, 1).empty());
}

TEST(NgramCounts, CharacterNgramsCountCodePointsNotBytes) {
  const std::string text = "äbä";  // 3 characters, 5 bytes
  const auto offsets = code_point_offsets(text);
  EXPECT_EQ(count_char_ngrams(text, offsets, 1), (NgramCounts{{"ä", 2}, {"b", 1}}));
  EXPECT_EQ(count_char_ngrams(text, offsets, 2), (NgramCounts{{"äb", 1}, {"bä", 1}}));
  EXPECT_EQ(count_char_ngrams(text, offsets, 3), (NgramCounts{{"äbä", 1}}));
  EXPECT_TRUE(count_char_ngrams(text, offsets, 4).empty());
}

TEST(NgramCounts, TotalsAndClippedMatches) {
  const NgramCounts hypothesis = {{"the", 3}, {"cat", 1}, {"dog", 2}};
  const NgramCounts reference = {{"the", 2}, {"cat", 1}, {"mat", 1}};
  EXPECT_EQ(total_count(hypothesis), 6);
  // min(3, 2) for "the" + min(1, 1) for "cat"; "dog" is not in the reference.
  EXPECT_EQ(clipped_matches(hypothesis, reference), 3);
  EXPECT_EQ(clipped_matches(reference, hypothesis), 3);
  EXPECT_EQ(clipped_matches({}, reference), 0);
}

}  // namespace
}  // namespace ferry
