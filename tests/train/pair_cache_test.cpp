// The cache of encoded training pairs: what it keeps, when its key changes, and runs of build/bin/train that
// use it instead of reading the corpus again.
#include "train/pair_cache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "data/batch.h"
#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

SubwordModel small_vocab(const std::string& file, int64_t size) {
  SubwordConfig config;
  config.size = size;
  return SubwordModel::from_bytes(SubwordModel::train(multi30k_lines(file, 2000), config, 1, 1), file);
}

EncodedCorpus sample_pairs() {
  EncodedCorpus corpus;
  corpus.src = {{5, 6, 7}, {8}, {9, 10, 11, 12, 13}};
  corpus.tgt = {{20}, {21, 22}, {}};
  corpus.too_long = 4;
  return corpus;
}

TEST(PairCache, KeepsThePairsAndCountsUnderItsKey) {
  const TempDir dir;
  const std::string path = pair_cache_path(dir.root());
  EXPECT_FALSE(read_pair_cache(path, "k").has_value());  // none yet
  CorpusStats stats;
  stats.lines = 10;
  stats.empty_pairs = 2;
  stats.invalid_utf8 = 1;
  stats.control_chars = 3;
  write_pair_cache(path, "k", sample_pairs(), stats);
  const std::optional<CachedPairs> cached = read_pair_cache(path, "k");
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->corpus.src, sample_pairs().src);
  EXPECT_EQ(cached->corpus.tgt, sample_pairs().tgt);
  EXPECT_EQ(cached->corpus.too_long, 4u);
  EXPECT_EQ(cached->corpus.fingerprint(), sample_pairs().fingerprint());
  EXPECT_EQ(cached->stats.lines, 10u);
  EXPECT_EQ(cached->stats.empty_pairs, 2u);
  EXPECT_EQ(cached->stats.invalid_utf8, 1u);
  EXPECT_EQ(cached->stats.control_chars, 3u);
  EXPECT_FALSE(read_pair_cache(path, "other").has_value());  // stale
}

TEST(PairCache, ADamagedCacheIsNotUsed) {
  const TempDir dir;
  const std::string path = pair_cache_path(dir.root());
  write_pair_cache(path, "k", sample_pairs(), CorpusStats{});
  const std::string bytes = read_file(path);
  // Everything before the ids (header, key, counts, offsets, checksums) is checked however the cache is read.
  const size_t ids_begin = bytes.size() - (9 + 3) * sizeof(int32_t);
  for (size_t at = 0; at < ids_begin; at += 5) {
    std::string damaged = bytes;
    damaged[at] ^= 0x40;
    dir.write("train-pairs.cache", damaged);
    EXPECT_FALSE(read_pair_cache(path, "k", PairCacheCheck::kOnUse).has_value()) << "byte " << at;
  }
  dir.write("train-pairs.cache", bytes.substr(0, 20));
  EXPECT_FALSE(read_pair_cache(path, "k").has_value());
  dir.write("train-pairs.cache", bytes + "x");
  EXPECT_FALSE(read_pair_cache(path, "k").has_value());
}

TEST(PairCache, DamagedIdsAreFoundAtOnceOrWhenABatchReadsThem) {
  const TempDir dir;
  const std::string path = pair_cache_path(dir.root());
  write_pair_cache(path, "k", sample_pairs(), CorpusStats{});
  std::string bytes = read_file(path);
  bytes.back() ^= 0x40;  // the last target id: pair 1's
  dir.write("train-pairs.cache", bytes);
  EXPECT_FALSE(read_pair_cache(path, "k", PairCacheCheck::kWhole).has_value());
  const std::optional<CachedPairs> cached = read_pair_cache(path, "k", PairCacheCheck::kOnUse);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(make_batch(cached->corpus, {0, 2}).tgt_out, make_batch(sample_pairs(), {0, 2}).tgt_out);
  try {
    make_batch(cached->corpus, {0, 1});
    ADD_FAILURE() << "a damaged pair made a batch";
  } catch (const ModelFileError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": sequence 1 is damaged (its checksum does not match)");
  }
}

TEST(PairCache, ACacheOfAnOlderFormatIsEncodedAgain) {
  const TempDir dir;
  const std::string path = pair_cache_path(dir.root());
  write_pair_cache(path, "k", sample_pairs(), CorpusStats{});
  std::string bytes = read_file(path);
  const uint32_t older = kPairCacheFormatVersion - 1;
  std::memcpy(&bytes[8], &older, sizeof older);
  dir.write("train-pairs.cache", bytes);
  EXPECT_FALSE(read_pair_cache(path, "k").has_value());
}

TEST(PairCache, KeyChangesWithTheFilesContentTheVocabulariesAndTheFilters) {
  const TempDir dir;
  const SubwordModel de = small_vocab("train.de.gz", 300), en = small_vocab("train.en.gz", 300);
  const SubwordModel en_smaller = small_vocab("train.en.gz", 200);
  DataConfig data;
  data.train.src = dir.write("train.de", "Ein Hund.\nZwei Katzen.\n");
  data.train.tgt = dir.write("train.en", "A dog.\nTwo cats.\n");
  const std::string key = pair_cache_key(data, de, en);
  EXPECT_EQ(pair_cache_key(data, de, en), key);
  EXPECT_NE(pair_cache_key(data, de, en_smaller), key);
  DataConfig longer = data;
  longer.max_length = 50;
  EXPECT_NE(pair_cache_key(longer, de, en), key);
  DataConfig fewer = data;
  fewer.max_pairs = 1;
  EXPECT_NE(pair_cache_key(fewer, de, en), key);
  dir.write("train.en", "A dog.\nTwo bats.\n");  // same path and size, other content
  EXPECT_NE(pair_cache_key(data, de, en), key);
  data.train.tgt = dir.path("missing.en");
  EXPECT_THROW(pair_cache_key(data, de, en), DataError);
}

// The number in "train pairs: N kept" of a run's log.
std::string kept_line(const std::string& log) {
  const size_t at = log.find("train pairs: ");
  return at == std::string::npos ? "" : log.substr(at, log.find('\n', at) - at);
}

TEST(PairCacheProgram, ASecondRunReadsThePairsFromTheCacheAndAChangedCorpusIsEncodedAgain) {
  const TempDir dir;
  const std::string src = dir.write("train.de", [] {
    std::string text;
    for (const std::string& line : multi30k_lines("train.de.gz", 300)) text += line + "\n";
    return text;
  }());
  std::string target_text;
  for (const std::string& line : multi30k_lines("train.en.gz", 300)) target_text += line + "\n";
  const std::string tgt = dir.write("train.en", target_text);
  const std::string options = "--set data.train.src=" + src + " --set data.train.tgt=" + tgt +
                              " --set training.max_steps=2 --set training.validate_every=1000" + small_valid_set(dir, 10);
  const ProcessResult first = run_command(tiny_train_command(dir, options));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(file_exists(dir.path("run/train-pairs.cache")));
  EXPECT_EQ(first.err.find("encoded by an earlier run"), std::string::npos) << first.err;

  const ProcessResult second = run_command(tiny_train_command(dir, options + " --overwrite"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("encoded by an earlier run"), std::string::npos) << second.err;
  EXPECT_EQ(kept_line(second.err), kept_line(first.err));
  EXPECT_NE(kept_line(first.err), "");

  // The same path with one more pair: encoded again, and the cache replaced.
  dir.write("train.de", read_file(src) + "Ein letzter Satz.\n");
  dir.write("train.en", target_text + "A last sentence.\n");
  const ProcessResult changed = run_command(tiny_train_command(dir, options + " --overwrite"));
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(changed.err.find("encoded by an earlier run"), std::string::npos) << changed.err;
  EXPECT_NE(kept_line(changed.err), kept_line(first.err));
  const ProcessResult again = run_command(tiny_train_command(dir, options + " --overwrite"));
  EXPECT_NE(again.err.find("encoded by an earlier run"), std::string::npos) << again.err;
  EXPECT_EQ(kept_line(again.err), kept_line(changed.err));
}

}  // namespace
}  // namespace ferry
