// Reading a stream in chunks: each line out once and in order, whatever the chunks; a stream's chunks double
// from the first, a file's are whole after the first.
#include "translate/stream_translation.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/corpus.h"
#include "support/small_subword_model.h"
#include "util/utf8.h"

namespace ferry {
namespace {

class StreamTranslation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { vocab_ = new SubwordModel(small_subword_model("train.de.gz", 500, 300)); }
  static void TearDownTestSuite() { delete vocab_; }

  // Streams the first `count` lines of the corpus through a translation that copies each source, with
  // `input_complete` and chunks of at most 16 lines; returns the chunk sizes and checks the output.
  static std::vector<size_t> chunk_sizes(size_t count, bool input_complete) {
    const std::vector<std::string> lines = multi30k_lines("val.de.gz", count);
    std::string input, expected;
    for (const std::string& line : lines) {
      input += line + "\n";
      expected += vocab_->decode(vocab_->encode(clean_line(line))) + "\n";
    }
    std::vector<size_t> sizes;
    uint64_t next_key = 0;
    const TranslateSources copy = [&](const std::vector<TokenIds>& sources, uint64_t first_key) {
      EXPECT_EQ(first_key, next_key) << "a chunk's first line is the one after the previous chunk";
      next_key += sources.size();
      sizes.push_back(sources.size());
      std::vector<NBest> results(sources.size());
      for (size_t i = 0; i < sources.size(); ++i) results[i].push_back(Hypothesis{sources[i], 0.0, 0.0, {}});
      return results;
    };
    StreamOptions options;
    options.first_chunk = 1;
    options.max_chunk = 16;
    options.input_complete = input_complete;
    std::istringstream in(input);
    std::ostringstream out;
    const OutputWriter writer(*vocab_, *vocab_, OutputOptions{});
    const StreamSummary summary = translate_stream(in, out, copy, *vocab_, writer, options);
    EXPECT_EQ(summary.lines, count);
    EXPECT_EQ(out.str(), expected);
    return sizes;
  }

  static SubwordModel* vocab_;
};

SubwordModel* StreamTranslation::vocab_ = nullptr;

TEST_F(StreamTranslation, AStreamsChunksDoubleUpToTheLargest) {
  EXPECT_EQ(chunk_sizes(100, false), (std::vector<size_t>{1, 2, 4, 8, 16, 16, 16, 16, 16, 5}));
  EXPECT_EQ(chunk_sizes(1, false), (std::vector<size_t>{1}));
}

TEST_F(StreamTranslation, AFilesChunksAreWholeAfterTheFirst) {
  EXPECT_EQ(chunk_sizes(100, true), (std::vector<size_t>{1, 16, 16, 16, 16, 16, 16, 3}));
  EXPECT_EQ(chunk_sizes(17, true), (std::vector<size_t>{1, 16}));
}

}  // namespace
}  // namespace ferry
