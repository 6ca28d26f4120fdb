// The training pairs as subword ids, kept in the run's folder (train-pairs.cache) so that a resumed or
// repeated run, or the other processes of a data-parallel run, do not read and encode the corpus again. The
// key holds checksums of the corpus files' bytes and of both vocabularies, and the options that decide which
// pairs are kept: any change makes the cache stale. A stale or damaged cache is encoded again and replaced.
#pragma once

#include <optional>
#include <string>

#include "data/corpus.h"
#include "data/data_config.h"
#include "data/dataset.h"
#include "data/subword.h"

namespace ferry {

constexpr const char* kPairCacheMagic = "FERRYPRS";
constexpr uint32_t kPairCacheFormatVersion = 2;

// <model_dir>/train-pairs.cache
std::string pair_cache_path(const std::string& model_dir);

// What the cached pairs depend on, as text: the training files (CRC-32 and size of their bytes, compressed
// or not), the vocabularies (CRC-32 of their serialized models), data.max_length and data.max_pairs.
// DataError if a file cannot be read.
std::string pair_cache_key(const DataConfig& data, const SubwordModel& src_vocab, const SubwordModel& tgt_vocab);

struct CachedPairs {
  EncodedCorpus corpus;
  CorpusStats stats;
};

// How much of a cache is checked when it is read. The pairs stay in the mapped file either way, its pages the
// page cache's, shared by the processes of one machine. kWhole reads and checks every pair's ids at once;
// kOnUse checks the counts, offsets and checksums at once and each pair's ids only when a batch reads them
// (ModelFileError then), so that a process reads only the pairs its batches hold.
enum class PairCacheCheck { kWhole, kOnUse };

// The pairs cached at `path` under `key`; nothing if there is no cache, or one of another key (the corpus or
// vocabulary changed) or of an older format, or a damaged one (with a warning).
std::optional<CachedPairs> read_pair_cache(const std::string& path, const std::string& key,
                                           PairCacheCheck check = PairCacheCheck::kWhole);

// Writes the cache atomically. A failure to write is a warning, not an error: the run needs no cache.
void write_pair_cache(const std::string& path, const std::string& key, const EncodedCorpus& corpus,
                      const CorpusStats& stats);

}  // namespace ferry
