// An input line far longer than what is kept is cut before it is encoded: its first subwords are those of the
// whole line, and the cost stays bounded.
#include "translate/input_line.h"

#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/small_subword_model.h"
#include "util/utf8.h"

namespace ferry {
namespace {

class InputLine : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = new SubwordModel(small_subword_model("train.de.gz", 2000, 500)); }
  static void TearDownTestSuite() { delete model_; }
  static SubwordModel* model_;
};

SubwordModel* InputLine::model_ = nullptr;

TEST_F(InputLine, AVeryLongLineKeepsTheFirstSubwordsOfTheWholeLine) {
  std::string sentences;
  for (const std::string& line : multi30k_lines("train.de.gz", 100)) sentences += line + " ";
  // Long enough to be cut before encoding (20 subwords kept: 20 x 256 bytes), short enough to encode whole.
  ASSERT_GT(sentences.size(), 20u * 256u);
  const TokenIds whole = model_->encode(clean_line(sentences));
  ASSERT_GT(whole.size(), 20u);
  const PreparedInput cut = prepare_input(sentences, *model_, 20);
  EXPECT_EQ(cut.ids, TokenIds(whole.begin(), whole.begin() + 20));
  ASSERT_EQ(cut.warnings.size(), 1u);
  EXPECT_EQ(cut.warnings[0],
            "too long (" + std::to_string(clean_line(sentences).size()) + " bytes), cut to 20 subwords");

  // One word of a million letters: cut at a character boundary, never inside one.
  std::string word;
  for (int i = 0; i < 500000; ++i) word += "\xC3\xA4";  // ä
  const PreparedInput letters = prepare_input(word, *model_, 20);
  EXPECT_EQ(letters.ids.size(), 20u);
  EXPECT_EQ(letters.warnings.size(), 1u);
}

TEST_F(InputLine, ALineWithinTheLimitIsEncodedWhole) {
  const std::string line = multi30k_lines("train.de.gz", 1).front();
  const PreparedInput input = prepare_input(line, *model_, 250);
  EXPECT_EQ(input.ids, model_->encode(clean_line(line)));
  EXPECT_TRUE(input.warnings.empty());
  const PreparedInput short_cut = prepare_input(line, *model_, 3);
  EXPECT_EQ(short_cut.ids, TokenIds(input.ids.begin(), input.ids.begin() + 3));
  EXPECT_EQ(short_cut.warnings.at(0),
            "too long (" + std::to_string(input.ids.size()) + " subwords), cut to 3 subwords");
}

}  // namespace
}  // namespace ferry
