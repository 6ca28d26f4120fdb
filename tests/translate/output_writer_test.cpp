#include "translate/output_writer.h"

#include <gtest/gtest.h>

#include "support/small_subword_model.h"

namespace ferry {
namespace {

class OutputWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { vocab_ = new SubwordModel(small_subword_model("train.en.gz", 500, 300)); }
  static void TearDownTestSuite() { delete vocab_; }

  static Hypothesis hypothesis(const std::string& text, double score) {
    Hypothesis h;
    h.tokens = vocab_->encode(text);
    h.score = score;
    return h;
  }

  static std::string write(const OutputOptions& options, size_t index, const TokenIds& source,
                           const NBest& result) {
    std::string out;
    OutputWriter(*vocab_, *vocab_, options).write(index, source, result, out);
    return out;
  }

  static SubwordModel* vocab_;
};
SubwordModel* OutputWriterTest::vocab_ = nullptr;

TEST_F(OutputWriterTest, PlainFormatWritesTheBestTranslationOnOneLine) {
  const NBest result = {hypothesis("A dog runs.", -1.25), hypothesis("A dog is running.", -2.5)};
  EXPECT_EQ(write({}, 4, {}, result), "A dog runs.\n");
  OutputOptions scores;
  scores.scores = true;
  EXPECT_EQ(write(scores, 4, {}, result), "A dog runs. ||| -1.250000\n");
  EXPECT_EQ(write({}, 0, {}, NBest{Hypothesis{}}), "\n");
  EXPECT_EQ(write({}, 0, {}, NBest{}), "\n");
}

TEST_F(OutputWriterTest, NBestFormatWritesEveryHypothesisWithItsIndexAndScore) {
  OutputOptions n_best;
  n_best.n_best = true;
  const NBest result = {hypothesis("A dog runs.", -1.25), hypothesis("A dog is running.", -2.5)};
  EXPECT_EQ(write(n_best, 7, {}, result),
            "7 ||| A dog runs. ||| -1.250000\n7 ||| A dog is running. ||| -2.500000\n");
  EXPECT_EQ(write(n_best, 8, {}, NBest{}), "8 |||  ||| 0.000000\n");
}

TEST_F(OutputWriterTest, AlignmentsFollowTheScore) {
  const TokenIds source = vocab_->encode("two dogs");
  Hypothesis h = hypothesis("dogs", -0.5);
  const size_t rows = h.tokens.size() + 1, columns = source.size() + 1;
  // Every target piece attends to the last source piece (the word "dogs").
  h.attention.assign(rows * columns, 0.0f);
  for (size_t t = 0; t < rows; ++t) h.attention[t * columns + columns - 2] = 1.0f;
  OutputOptions hard;
  hard.scores = true;
  hard.alignment = AlignmentKind::kHard;
  EXPECT_EQ(write(hard, 0, source, {h}), "dogs ||| -0.500000 ||| 1-0\n");
  OutputOptions soft;
  soft.alignment = AlignmentKind::kSoft;
  EXPECT_EQ(write(soft, 0, source, {h}), "dogs ||| 0.0000,1.0000\n");
  EXPECT_EQ(write(soft, 0, {}, {Hypothesis{}}), " ||| \n");
}

TEST_F(OutputWriterTest, AlignmentWordsAreTheWordsOfTheWrittenText) {
  const TokenIds source = vocab_->encode("A dog runs through the grass.");
  Hypothesis h = hypothesis("Two dogs play in the snow.", -3.0);
  // A piece of only the word boundary mark at the end writes a trailing space but adds no word.
  const TokenIds mark = vocab_->encode(" x");
  ASSERT_GE(mark.size(), 2u);
  h.tokens.push_back(mark.front());
  const size_t rows = h.tokens.size() + 1, columns = source.size() + 1;
  h.attention.assign(rows * columns, 0.0f);
  for (size_t t = 0; t < rows; ++t) h.attention[t * columns] = 1.0f;
  OutputOptions hard;
  hard.alignment = AlignmentKind::kHard;
  const std::string line = write(hard, 0, source, {h});
  const std::string text = line.substr(0, line.find(" ||| "));
  EXPECT_EQ(text, "Two dogs play in the snow. ");
  EXPECT_EQ(line.substr(line.find(" ||| ") + 5), "0-0 0-1 0-2 0-3 0-4 0-5\n");
}

}  // namespace
}  // namespace ferry
