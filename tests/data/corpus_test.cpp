#include "data/corpus.h"

#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace ferry {
namespace {

TEST(Corpus, ReadsMulti30kGzipped) {
  ParallelCorpus c = read_corpus({multi30k_file("val.de.gz"), multi30k_file("val.en.gz"), ""});
  EXPECT_EQ(c.size(), 1014u);
  EXPECT_EQ(c.stats.lines, 1014u);
  EXPECT_EQ(c.stats.empty_pairs, 0u);
  EXPECT_EQ(c.line_numbers.back(), 1014u);
  EXPECT_FALSE(c.src[0].empty());
}

TEST(Corpus, CleansCountsAndSkipsEmptyPairs) {
  TempDir dir;
  const std::string src = dir.write("a.de", "  Ein  Hund\t läuft \nleer\n\nkaputt \xFF\x01 hier\n");
  const std::string tgt = dir.write("a.en", "A dog runs\n\nnot empty\nbroken here\n");
  ParallelCorpus c = read_corpus({src, tgt, ""});
  EXPECT_EQ(c.stats.lines, 4u);
  EXPECT_EQ(c.stats.empty_pairs, 2u);  // the target of line 2 and the source of line 3 are empty
  EXPECT_EQ(c.stats.invalid_utf8, 1u);
  EXPECT_EQ(c.stats.control_chars, 1u);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.src[0], "Ein Hund läuft");
  EXPECT_EQ(c.src[1], "kaputt \xEF\xBF\xBD hier");
  EXPECT_EQ(c.line_numbers, (std::vector<size_t>{1, 4}));
  EXPECT_NE(describe(c.stats, {src, tgt, ""}).find("2 skipped (empty side)"), std::string::npos);
}

TEST(Corpus, MismatchedLineCountsNameBothFilesAndCounts) {
  TempDir dir;
  const std::string src = dir.write("b.de", "eins\nzwei\ndrei\n");
  const std::string tgt = dir.write("b.en", "one\ntwo\n");
  try {
    read_corpus({src, tgt, ""});
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "line counts differ: '" + src + "' has 3 lines, '" + tgt + "' has 2");
    EXPECT_EQ(e.exit_code(), 2);
  }
  try {
    read_corpus({tgt, src, ""});
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "line counts differ: '" + tgt + "' has 2 lines, '" + src + "' has 3");
  }
}

TEST(Corpus, MissingFileIsADataError) {
  TempDir dir;
  const std::string tgt = dir.write("c.en", "one\n");
  EXPECT_THROW(read_corpus({dir.path("missing.de"), tgt, ""}), DataError);
}

TEST(Corpus, MaxPairsStopsEarly) {
  ParallelCorpus c =
      read_corpus({multi30k_file("train.de.gz"), multi30k_file("train.en.gz"), ""}, 100);
  EXPECT_EQ(c.size(), 100u);
}

// The reader gives read_corpus's pairs one at a time, each with its file line; its counts are whole at the end.
TEST(Corpus, TheReaderGivesThePairsOneAtATime) {
  TempDir dir;
  const std::string src = dir.write("d.de", "eins\n\ndrei\nvier\n");
  const std::string tgt = dir.write("d.en", "one\ntwo\nthree\n\x01\n");
  CorpusReader reader({src, tgt, ""});
  std::string s, t;
  ASSERT_TRUE(reader.next(s, t));
  EXPECT_EQ(s + "|" + t, "eins|one");
  EXPECT_EQ(reader.line_number(), 1u);
  ASSERT_TRUE(reader.next(s, t));
  EXPECT_EQ(s + "|" + t, "drei|three");
  EXPECT_EQ(reader.line_number(), 3u);
  EXPECT_FALSE(reader.next(s, t));
  EXPECT_EQ(reader.stats().lines, 4u);
  EXPECT_EQ(reader.stats().empty_pairs, 2u);
  EXPECT_EQ(reader.stats().control_chars, 1u);
  EXPECT_FALSE(reader.next(s, t)) << "the end stays the end";

  const std::string text = dir.write("e.txt", "a b\n\n c \n");
  const ParallelCorpus lm = read_corpus({"", "", text});
  EXPECT_EQ(lm.tgt, (std::vector<std::string>{"a b", "c"}));
  EXPECT_EQ(lm.src, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(lm.stats.empty_pairs, 1u);
  EXPECT_EQ(read_corpus({"", "", text}, 1).size(), 1u);
}

}  // namespace
}  // namespace ferry
