// encode_corpus: encoding a corpus read a chunk at a time gives the pairs of encoding it whole.
#include "data/dataset.h"

#include <gtest/gtest.h>

#include "support/corpus.h"

namespace ferry {
namespace {

TEST(Dataset, EncodingWhileReadingEqualsEncodingTheWholeCorpus) {
  const CorpusPaths paths{multi30k_file("train.de.gz"), multi30k_file("train.en.gz"), ""};
  const ParallelCorpus text = read_corpus(paths, 1200);
  SubwordConfig config;
  config.size = 300;
  const SubwordModel src = SubwordModel::from_bytes(SubwordModel::train(text.src, config, 1, 2), "src");
  const SubwordModel tgt = SubwordModel::from_bytes(SubwordModel::train(text.tgt, config, 1, 2), "tgt");
  const EncodedCorpus whole = encode_corpus(text, src, tgt, 25);
  ASSERT_GT(whole.too_long, 0u) << "the length limit must bite for this test";
  ASSERT_GT(whole.size(), 300u);
  for (const size_t chunk : {size_t{1}, size_t{7}, size_t{1200}, size_t{5000}}) {
    CorpusReader reader(paths, 1200);
    const EncodedCorpus streamed = encode_corpus(reader, src, tgt, 25, chunk);
    EXPECT_EQ(streamed.src, whole.src) << "chunk " << chunk;
    EXPECT_EQ(streamed.tgt, whole.tgt) << "chunk " << chunk;
    EXPECT_EQ(streamed.too_long, whole.too_long) << "chunk " << chunk;
    EXPECT_EQ(reader.stats().lines, 1200u);
  }
}

}  // namespace
}  // namespace ferry
