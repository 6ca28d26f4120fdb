#include "eval/bleu.h"

#include <gtest/gtest.h>

#include <cmath>

#include "util/error.h"

namespace ferry {
namespace {

// Corpus BLEU of single-reference lines.
BleuScore bleu_of(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references) {
  return corpus_bleu(hypotheses, {references});
}

TEST(Bleu, BrevityPenaltyWhenTheHypothesisIsShorter) {
  // Tokens: 5 in the hypothesis, 7 in the reference, which contains the hypothesis: precisions
  // 5/5, 4/4, 3/3, 2/2. BP = exp(1 - 7/5) = exp(-0.4) = 0.670320; BLEU = 100 * BP = 67.03.
  const BleuScore bleu = bleu_of({"the cat sat on the"}, {"the cat sat on the mat today"});
  EXPECT_NEAR(bleu.score, 100.0 * std::exp(-0.4), 1e-9);
  EXPECT_NEAR(bleu.bp, std::exp(-0.4), 1e-12);
  EXPECT_NEAR(bleu.ratio, 5.0 / 7.0, 1e-12);
  EXPECT_EQ(bleu.format(),
            "BLEU = 67.03 100.0/100.0/100.0/100.0 (BP = 0.670 ratio = 0.714 hyp_len = 5 ref_len = 7)");
}

TEST(Bleu, LongerHypothesisHasNoPenalty) {
  // 6 tokens against 5; 1-grams 5/6, 2-grams 4/5, 3-grams 3/4, 4-grams 2/3; BP = 1.
  // BLEU = 100 * (5/6 * 4/5 * 3/4 * 2/3)^(1/4) = 100 * (1/3)^(1/4) = 75.98.
  const BleuScore bleu = bleu_of({"the cat sat on the mat"}, {"the cat sat on the"});
  EXPECT_DOUBLE_EQ(bleu.bp, 1.0);
  EXPECT_NEAR(bleu.score, 100.0 * std::pow(1.0 / 3.0, 0.25), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 75.98 83.3/80.0/75.0/66.7 (BP = 1.000 ratio = 1.200 hyp_len = 6 ref_len = 5)");
}

TEST(Bleu, ExponentialSmoothingForAnOrderWithoutMatches) {
  // "a b c d" against "a b c e": 1-grams 3/4, 2-grams 2/3, 3-grams 1/2, 4-grams 0/1. The first order without
  // matches gets 100 / (2 * 1) = 50. BLEU = (75 * 66.67 * 50 * 50)^(1/4) = 12.5e6^(1/4) = 59.46.
  const BleuScore bleu = bleu_of({"a b c d"}, {"a b c e"});
  EXPECT_NEAR(bleu.precisions[3], 50.0, 1e-12);
  EXPECT_NEAR(bleu.score, std::pow(75.0 * (200.0 / 3.0) * 50.0 * 50.0, 0.25), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 59.46 75.0/66.7/50.0/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)");
}

TEST(Bleu, SmoothingDoublesForEachFurtherOrderWithoutMatches) {
  // "a b c d" against "a b d c": 1-grams 4/4; 2-grams 1/3 ("a b"); 3-grams 0/2 -> 100 / (2 * 2) = 25;
  // 4-grams 0/1 -> 100 / (4 * 1) = 25. BLEU = (100 * 33.33 * 25 * 25)^(1/4) = 37.99.
  const BleuScore bleu = bleu_of({"a b c d"}, {"a b d c"});
  EXPECT_NEAR(bleu.score, std::pow(100.0 * (100.0 / 3.0) * 25.0 * 25.0, 0.25), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 37.99 100.0/33.3/25.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)");
}

TEST(Bleu, NoFourGramsAtAllGivesZeroAndNoMatchesGivesZeroPrecisions) {
  // Three tokens have no 4-gram: that precision stays 0 (no smoothing without n-grams) and the score is 0.
  EXPECT_EQ(bleu_of({"a b c"}, {"a b c"}).format(),
            "BLEU = 0.00 100.0/100.0/100.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 3 ref_len = 3)");
  // Nothing matches: every precision is reported as 0, not smoothed.
  EXPECT_EQ(bleu_of({"w x y z"}, {"a b c d"}).format(),
            "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)");
}

TEST(Bleu, EmptyHypothesisLinesCountTheirReferenceLength) {
  // Line 1 contributes 0 hypothesis and 3 reference tokens; line 2 matches its reference exactly (6 tokens).
  // hyp_len 6, ref_len 9: BP = exp(1 - 9/6) = exp(-0.5) = 0.606531; BLEU = 60.65.
  const BleuScore bleu = bleu_of({"", "the cat sat on the mat"}, {"a dog barks", "the cat sat on the mat"});
  EXPECT_NEAR(bleu.score, 100.0 * std::exp(-0.5), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 60.65 100.0/100.0/100.0/100.0 (BP = 0.607 ratio = 0.667 hyp_len = 6 ref_len = 9)");
  // Only empty lines: BP is 0 and so is everything else.
  EXPECT_EQ(bleu_of({"", ""}, {"a b", "c"}).format(),
            "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 3)");
}

TEST(Bleu, ClosestReferenceLengthPrefersTheShorterOnATie) {
  EXPECT_EQ(bleu_sentence_stats("a b c d", {"a b", "a b c d e"}).ref_len, 5);    // |4-2| = 2 > |4-5| = 1
  EXPECT_EQ(bleu_sentence_stats("a b c d", {"a b c", "a b c d e"}).ref_len, 3);  // tie: the shorter
  EXPECT_EQ(bleu_sentence_stats("a b c d", {"a b c d e", "a b c"}).ref_len, 3);
}

TEST(Bleu, MultipleReferencesClipByTheMostGenerousReference) {
  // Hypothesis "the the the cat" (4 tokens); references "the cat sat" (3) and "the the dog sat down" (5).
  // ref_len: both differ by 1, the shorter (3) wins; BP = 1.
  // 1-grams: "the" x3 clipped to 2 (ref 2 has it twice) + "cat" 1 = 3/4.
  // 2-grams: "the the" x2 clipped to 1 (ref 2) + "the cat" 1 (ref 1) = 2/3.
  // 3-grams 0/2 -> 100 / (2 * 2) = 25; 4-grams 0/1 -> 100 / (4 * 1) = 25.
  // BLEU = (75 * 66.67 * 25 * 25)^(1/4) = 3.125e6^(1/4) = 42.04.
  const BleuScore bleu = corpus_bleu({"the the the cat"}, {{"the cat sat"}, {"the the dog sat down"}});
  EXPECT_NEAR(bleu.score, std::pow(75.0 * (200.0 / 3.0) * 25.0 * 25.0, 0.25), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 42.04 75.0/66.7/25.0/25.0 (BP = 1.000 ratio = 1.333 hyp_len = 4 ref_len = 3)");
}

TEST(Bleu, BrevityPenaltyWithSeveralReferencesUsesTheClosestLengthPerLine) {
  // Each hypothesis is shorter than both of its references and is contained in one of them, so every n-gram
  // matches: 9 tokens, n-grams 9/7/5/3, all precisions 100.
  // Line 1: "the cat sat on the" (5) against "a cat is sitting on the mat" (7) and "the cat sat on the mat
  //   today , look" (9): closest 7, in the first stream (the matches come from the second).
  // Line 2: "dogs run fast now" (4) against "two dogs run fast now here" (6) and "dogs run fast now ." (5):
  //   closest 5, in the second stream.
  // ref_len = 7 + 5 = 12 (the first stream alone gives 13, the longest references 15); hyp_len = 9.
  // BP = exp(1 - 12/9) = exp(-1/3) = 0.716531; BLEU = 100 * BP = 71.65; ratio = 9/12 = 0.75.
  const BleuScore bleu = corpus_bleu({"the cat sat on the", "dogs run fast now"},
                                     {{"a cat is sitting on the mat", "two dogs run fast now here"},
                                      {"the cat sat on the mat today , look", "dogs run fast now ."}});
  EXPECT_EQ(bleu.ref_len, 12);
  EXPECT_NEAR(bleu.bp, std::exp(-1.0 / 3.0), 1e-12);
  EXPECT_NEAR(bleu.score, 100.0 * std::exp(-1.0 / 3.0), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 71.65 100.0/100.0/100.0/100.0 (BP = 0.717 ratio = 0.750 hyp_len = 9 ref_len = 12)");
}

TEST(Bleu, EmptyReferenceIsAReferenceOfLengthZero) {
  EXPECT_EQ(bleu_sentence_stats("a b c", {"", "a b c"}).ref_len, 3);
  EXPECT_EQ(bleu_sentence_stats("a b c", {"a b c", " "}).ref_len, 3);
  // One word is closer to the empty reference's 0 than to 3: the brevity penalty is measured against 0.
  const BleuStats closer_to_empty = bleu_sentence_stats("a", {"a b c", ""});
  EXPECT_EQ(closer_to_empty.ref_len, 0);
  EXPECT_EQ(closer_to_empty.matches[0], 1);
  const BleuStats alone = bleu_sentence_stats("a b c", {"", ""});
  EXPECT_EQ(alone.ref_len, 0);
  EXPECT_EQ(alone.totals[0], 3);
  EXPECT_EQ(alone.matches[0], 0);
}

TEST(Bleu, UnicodePunctuationIsNotSplitOff) {
  // 13a leaves „ “ – attached or alone: hypothesis tokens "Der Mann läuft schnell !" (5), reference tokens
  // "Der „Mann“ läuft – schnell !" (6). 1-grams 4/5 (all but "Mann"); 2-grams 1/4 ("schnell !");
  // 3-grams 0/3 -> 100 / (2 * 3); 4-grams 0/2 -> 100 / (4 * 2). BP = exp(1 - 6/5).
  const BleuScore bleu = bleu_of({"Der Mann läuft schnell!"}, {"Der „Mann“ läuft – schnell!"});
  EXPECT_NEAR(bleu.score, std::exp(-0.2) * std::pow(80.0 * 25.0 * (100.0 / 6.0) * 12.5, 0.25), 1e-9);
  EXPECT_EQ(bleu.format(),
            "BLEU = 20.80 80.0/25.0/16.7/12.5 (BP = 0.819 ratio = 0.833 hyp_len = 5 ref_len = 6)");
}

TEST(Bleu, CjkWithoutAsciiPunctuationIsOneToken) {
  const BleuStats stats = bleu_sentence_stats("東京タワーは高いです。", {"東京タワーは高い。"});
  EXPECT_EQ(stats.hyp_len, 1);
  EXPECT_EQ(stats.ref_len, 1);
  EXPECT_EQ(stats.matches[0], 0);
  // With ASCII punctuation, 13a splits: "東京 , 大阪 ." against "東京 , 京都 ." matches 3 of 4 tokens.
  EXPECT_EQ(bleu_sentence_stats("東京,大阪.", {"東京,京都."}).matches[0], 3);
}

TEST(Bleu, SentenceStatisticsAddUpToTheCorpusScore) {
  const std::vector<std::string> hypotheses = {"the cat sat", "", "a dog ran off"};
  const std::vector<std::string> references = {"the cat sat down", "nothing", "a dog ran away"};
  BleuStats sum;
  for (size_t i = 0; i < hypotheses.size(); ++i) sum += bleu_sentence_stats(hypotheses[i], {references[i]});
  EXPECT_EQ(sum.hyp_len, 7);
  EXPECT_EQ(sum.ref_len, 9);
  EXPECT_EQ(sum.matches[0], 6);
  EXPECT_EQ(sum.totals[0], 7);
  EXPECT_EQ(bleu_from_stats(sum).format(), bleu_of(hypotheses, references).format());
}

TEST(Bleu, MisalignedStreamsAreAnInputError) {
  EXPECT_THROW(corpus_bleu({"a", "b"}, {{"a"}}), InputError);
  EXPECT_THROW(corpus_bleu({"a"}, {}), InputError);
}

}  // namespace
}  // namespace ferry
