#include "eval/chrf.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

using Words = std::vector<std::string_view>;

double chrf_of(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references,
               const ChrfOptions& options = chrf_options()) {
  return corpus_chrf(hypotheses, {references}, options).score;
}

// F2 in percent from averaged precision and recall.
double f2(double precision, double recall) {
  return 100.0 * 5.0 * precision * recall / (4.0 * precision + recall);
}

TEST(Chrf, IdenticalSentencesScoreOneHundred) {
  EXPECT_DOUBLE_EQ(chrf_of({"a small boat."}, {"a small boat."}), 100.0);
  EXPECT_DOUBLE_EQ(chrf_of({"a small boat."}, {"a small boat."}, chrf_plus_plus_options()), 100.0);
}

TEST(Chrf, AveragesOverTheOrdersBothSidesHave) {
  // "abc" against "abd": 1-grams 2 of 3 match both ways, 2-grams 1 of 2, 3-grams 0 of 1; orders 4-6 are empty
  // on both sides and do not count. Precision = recall = (2/3 + 1/2 + 0) / 3 = 7/18, so F = 7/18.
  EXPECT_NEAR(chrf_of({"abc"}, {"abd"}), 100.0 * 7.0 / 18.0, 1e-9);
}

TEST(Chrf, CountsUnicodeCharactersNotBytes) {
  // The same shape as "abc" / "abd" in two-byte characters: 7/18 again (over bytes it would differ).
  EXPECT_NEAR(chrf_of({"äöü"}, {"äöx"}), 100.0 * 7.0 / 18.0, 1e-9);
  // CJK: "東京タワー" against "東京タワーは高い": every hypothesis n-gram matches (precision 1); recall per
  // order is 5/8, 4/7, 3/6, 2/5, 1/4 and order 6 has no hypothesis n-gram.
  const double recall = (5.0 / 8 + 4.0 / 7 + 3.0 / 6 + 2.0 / 5 + 1.0 / 4) / 5;
  EXPECT_NEAR(chrf_of({"東京タワー"}, {"東京タワーは高い"}), f2(1.0, recall), 1e-9);
}

TEST(Chrf, IgnoresAllWhitespace) {
  EXPECT_DOUBLE_EQ(chrf_of({"a b c"}, {"abc"}), 100.0);
  EXPECT_DOUBLE_EQ(chrf_of({"a\u00A0b\u3000c"}, {" abc\t"}), 100.0);
}

TEST(Chrf, WeighsRecallWithBetaTwo) {
  // "ab" against "abcd": 1-grams precision 2/2, recall 2/4; 2-grams precision 1/1, recall 1/3; the
  // hypothesis has no 3-grams. Averages: precision 1, recall 5/12; F2 = 5 * 5/12 / (4 + 5/12) = 25/53.
  EXPECT_NEAR(chrf_of({"ab"}, {"abcd"}), 100.0 * 25.0 / 53.0, 1e-9);
}

TEST(Chrf, HypothesisNgramsOfOrdersTheReferenceLacksAreNotCounted) {
  // Line 1 "abcdef" / "ab": the reference has no n-grams above order 2, so the hypothesis' 3..6-grams are
  // left out of the counts. Line 2 "xyz" / "xyz" matches fully. Corpus counts (hyp, ref, match):
  // order 1 (9, 5, 5), order 2 (7, 3, 3), order 3 (1, 1, 1), orders 4-6 nothing.
  // Precision (5/9 + 3/7 + 1) / 3 = 125/189, recall 1: F2 = 5 * 125/189 / (4 * 125/189 + 1) = 625/689.
  EXPECT_NEAR(chrf_of({"abcdef", "xyz"}, {"ab", "xyz"}), 100.0 * 625.0 / 689.0, 1e-9);
  const ChrfStats stats = chrf_sentence_stats("abcdef", {"ab"}, chrf_options());
  ASSERT_EQ(stats.orders.size(), 6u);
  EXPECT_EQ(stats.orders[2].hyp, 0);
  EXPECT_EQ(stats.orders[0].hyp, 6);
}

TEST(Chrf, EmptyHypothesisLines) {
  // Line 1 adds reference n-grams only (3, 2, 1); line 2 matches exactly (3, 2, 1). Every order then has
  // precision 1 and recall 1/2: F2 = 5 * 0.5 / 4.5 = 55.56.
  EXPECT_NEAR(chrf_of({"", "abc"}, {"xyz", "abc"}), f2(1.0, 0.5), 1e-9);
  EXPECT_DOUBLE_EQ(chrf_of({""}, {"abc"}), 0.0);
  EXPECT_DOUBLE_EQ(chrf_of({""}, {""}), 0.0);
}

TEST(Chrf, EachSentenceTakesItsBestReference) {
  // Each line matches one of the two references exactly: both take that one, and the corpus scores 100.
  const ReferenceStreams references = {{"abc", "abc"}, {"xyz", "xyz 1"}};
  EXPECT_DOUBLE_EQ(corpus_chrf({"abc", "xyz1"}, references, chrf_options()).score, 100.0);
  const ChrfStats stats = chrf_sentence_stats("xyz1", {"abc", "xyz 1"}, chrf_options());
  EXPECT_EQ(stats.orders[0].ref, 4);
  EXPECT_EQ(stats.orders[0].match, 4);
  // An empty reference scores 0 for the sentence: the other one, better, is used.
  EXPECT_DOUBLE_EQ(corpus_chrf({"abc"}, {{""}, {"abc"}}, chrf_options()).score, 100.0);
}

TEST(Chrf, OnATieTheFirstReferenceWins) {
  // "aaba" against "a": order 1 precision 1/4, recall 1 (no other order on the reference side), so
  // F2 = 5 * 1/4 / (4 * 1/4 + 1) = 62.5. Against "abaa": orders 1-4 give precision = recall = 1, 1, 1/2, 0,
  // averaging 5/8: F2 = 62.5 again, from different counts. A second line "b" / "b" makes the choice visible:
  // with "a" the corpus has only order 1, (5, 2, 2): precision 2/5, recall 1, F2 = 2 / 2.6 = 76.92; with
  // "abaa" every order keeps precision = recall, and F2 = (5/5 + 3/3 + 1/2 + 0/1) / 4 = 62.5.
  EXPECT_NEAR(corpus_chrf({"aaba", "b"}, {{"a", "b"}, {"abaa", "b"}}, chrf_options()).score,
              100.0 * 2.0 / 2.6, 1e-9);
  EXPECT_NEAR(corpus_chrf({"aaba", "b"}, {{"abaa", "b"}, {"a", "b"}}, chrf_options()).score, 62.5, 1e-9);
}

TEST(Chrf, PlusPlusSplitsPunctuationOffWords) {
  EXPECT_EQ(chrf_words("Hello, world!"), (Words{"Hello", ",", "world", "!"}));
  // One character only, from the end first: "(hi)" keeps its opening parenthesis.
  EXPECT_EQ(chrf_words("(hi) 's ... a -"), (Words{"(hi", ")", "'", "s", "..", ".", "a", "-"}));
  // Only ASCII punctuation counts; a single (multi-byte) character is never split.
  EXPECT_EQ(chrf_words("«Bonjour», ä ä."), (Words{"«Bonjour»", ",", "ä", "ä", "."}));
}

TEST(Chrf, PlusPlusAddsWordUnigramsAndBigrams) {
  // "the cat" against "the cat.": characters "thecat" / "thecat.", every hypothesis n-gram matches, so
  // precision is 1 and recall per character order is 6/7, 5/6, 4/5, 3/4, 2/3, 1/2. Words: "the cat" against
  // "the cat ." give recall 2/3 for unigrams and 1/2 for bigrams ("the cat" of "the cat", "cat .").
  const double char_recall = 6.0 / 7 + 5.0 / 6 + 4.0 / 5 + 3.0 / 4 + 2.0 / 3 + 1.0 / 2;
  EXPECT_NEAR(chrf_of({"the cat"}, {"the cat."}), f2(1.0, char_recall / 6), 1e-9);
  EXPECT_NEAR(chrf_of({"the cat"}, {"the cat."}, chrf_plus_plus_options()),
              f2(1.0, (char_recall + 2.0 / 3 + 1.0 / 2) / 8), 1e-9);
}

TEST(Chrf, NamesAndLines) {
  ChrfScore score = chrf_from_stats({}, chrf_options());
  score.score = 80.9578;
  EXPECT_EQ(score.format(), "chrF2 = 80.96");
  ChrfScore plus = chrf_from_stats({}, chrf_plus_plus_options());
  plus.score = 81.1589;
  EXPECT_EQ(plus.name(), "chrF2++");
  EXPECT_EQ(plus.format(), "chrF2++ = 81.16");
}

TEST(Chrf, StatisticsAddUpAndMustAgreeInShape) {
  ChrfStats sum;
  sum += chrf_sentence_stats("", {"xyz"}, chrf_options());
  sum += chrf_sentence_stats("abc", {"abc"}, chrf_options());
  EXPECT_NEAR(chrf_from_stats(sum, chrf_options()).score, f2(1.0, 0.5), 1e-9);
  EXPECT_THROW(sum += chrf_sentence_stats("abc", {"abc"}, chrf_plus_plus_options()), InternalError);
  EXPECT_THROW(chrf_from_stats(sum, chrf_plus_plus_options()), InternalError);
  EXPECT_THROW(corpus_chrf({"a"}, {{"a", "b"}}, chrf_options()), InputError);
}

}  // namespace
}  // namespace ferry
