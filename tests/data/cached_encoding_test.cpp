#include "data/cached_encoding.h"

#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/small_subword_model.h"
#include "util/utf8.h"

namespace ferry {
namespace {

class CachedEncodingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = new SubwordModel(small_subword_model("train.de.gz", 3000, 1000)); }
  static void TearDownTestSuite() { delete model_; }

  // Encodes `lines` through a CachedEncoder twice (the second time from its cache) and checks both against
  // SentencePiece's own encoding of each line.
  static void expect_same_ids(const std::vector<std::string>& lines, size_t max_words) {
    CachedEncoder encoder(*model_, max_words);
    for (int round = 0; round < 2; ++round) {
      const std::vector<TokenIds> cached = encoder.encode_all(lines.data(), lines.size());
      ASSERT_EQ(cached.size(), lines.size());
      for (size_t i = 0; i < lines.size(); ++i) {
        ASSERT_EQ(cached[i], model_->encode(lines[i])) << "round " << round << ", line " << i << ": '" << lines[i]
                                                       << "'";
      }
    }
  }
  static SubwordModel* model_;
};
SubwordModel* CachedEncodingTest::model_ = nullptr;

// Every line of Multi30k's German validation set, as read (not cleaned) and cleaned.
TEST_F(CachedEncodingTest, GivesSentencePiecesIdsForEveryValidationLine) {
  const std::vector<std::string> raw = multi30k_lines("val.de.gz", 1014);
  std::vector<std::string> cleaned;
  for (const auto& line : raw) cleaned.push_back(clean_line(line));
  expect_same_ids(raw, size_t{1} << 20);
  expect_same_ids(cleaned, size_t{1} << 20);
}

// Spaces at the ends and in runs, other Unicode spaces and what normalisation removes or rewrites, tabs,
// characters the model has never seen, and digits.
TEST_F(CachedEncodingTest, GivesSentencePiecesIdsForAwkwardText) {
  const std::vector<std::string> lines = {
      "",
      " ",
      "  zwei  Leerzeichen   und am Ende ",
      "ein\u00a0geschütztes Leerzeichen",
      "ein\u3000breites Leerzeichen",
      "null\u200bbreit \u200b allein",
      "e \u0301 kombinierend",
      "Tab\tim Wort",
      "Schneemann \u2603 und \u2603\u2603 unbekannt\u2603",
      "\ufb01 Ligatur und \uff21\uff22\uff23 breit",
      "12 345 6789",
      "Ein Hund läuft. Ein Hund läuft.",
  };
  expect_same_ids(lines, size_t{1} << 20);
}

// Past its limit the encoder encodes new words each time, with the same result.
TEST_F(CachedEncodingTest, AFullCacheStillGivesTheSameIds) {
  const std::vector<std::string> lines = multi30k_lines("val.de.gz", 200);
  expect_same_ids(lines, 0);
  expect_same_ids(lines, 50);
}

}  // namespace
}  // namespace ferry
