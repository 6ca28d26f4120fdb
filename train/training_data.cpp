#include "train/training_data.h"

#include <optional>

#include "train/pair_cache.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"

namespace ferry {
namespace {

// "'src' / 'tgt'", or "'text'" for a language model's corpus.
std::string quoted_files(const CorpusPaths& paths) {
  return paths.text.empty() ? "'" + paths.src + "' / '" + paths.tgt + "'" : "'" + paths.text + "'";
}

// A run needs at least one training pair: DataError with what happened to the lines read.
void check_training_pairs_left(size_t kept, const CorpusStats& stats, size_t too_long,
                               const DataConfig& config) {
  if (kept > 0) return;
  FERRY_THROW(DataError, "no training pairs left in "
                             << quoted_files(config.train) << ": " << stats.lines << " read, "
                             << stats.empty_pairs << " with an empty side, " << too_long
                             << " with a side longer than data.max_length = " << config.max_length
                             << " subwords");
}

}  // namespace

TrainingData prepare_training_data(const RunConfig& config, int threads, const PairCacheUse& cache) {
  create_subword_folder(config.vocab.src);
  create_subword_folder(config.vocab.tgt);
  TrainingData data;
  std::optional<ParallelCorpus> train;  // the text, read only when needed
  const auto read_train = [&]() -> ParallelCorpus& {
    if (!train) {
      train = read_corpus(config.data.train, config.data.max_pairs);
      data.train_stats = train->stats;
      log_info() << "train corpus " << describe(train->stats, config.data.train);
      check_training_pairs_left(train->size(), train->stats, 0, config.data);
    }
    return *train;
  };

  // Existing SentencePiece models are loaded without the text; missing ones are trained from it.
  const bool shared_vocab = config.vocab.single || config.vocab.joint;
  const bool vocab_ready =
      file_exists(config.vocab.src.model) && (shared_vocab || file_exists(config.vocab.tgt.model));
  const std::vector<std::string> no_lines;
  const auto seed = static_cast<uint64_t>(config.training.seed);
  if (config.vocab.single) {
    data.src_vocab = load_or_train_subwords(config.vocab.src, vocab_ready ? no_lines : read_train().tgt, seed,
                                            threads, "text");
    data.tgt_vocab = data.src_vocab;
  } else if (config.vocab.joint) {
    std::vector<std::string> both;
    if (!vocab_ready) {
      both = read_train().src;
      both.insert(both.end(), train->tgt.begin(), train->tgt.end());
    }
    data.src_vocab = load_or_train_subwords(config.vocab.src, both, seed, threads, "joint");
    data.tgt_vocab = data.src_vocab;
  } else {
    data.src_vocab = load_or_train_subwords(config.vocab.src, vocab_ready ? no_lines : read_train().src, seed,
                                            threads, "source");
    data.tgt_vocab = load_or_train_subwords(config.vocab.tgt, vocab_ready ? no_lines : read_train().tgt, seed,
                                            threads, "target");
  }

  const std::string key = cache.path.empty() ? "" : pair_cache_key(config.data, data.src_vocab, data.tgt_vocab);
  std::optional<CachedPairs> cached = key.empty() ? std::nullopt : read_pair_cache(cache.path, key);
  if (cached) {
    data.train = std::move(cached->corpus);
    data.train_stats = cached->stats;
    log_info() << "train corpus " << describe(data.train_stats, config.data.train) << " (pairs from "
               << cache.path << ", encoded by an earlier run)";
  } else {
    data.train = encode_corpus(read_train(), data.src_vocab, data.tgt_vocab, config.data.max_length);
    if (!key.empty() && cache.write) write_pair_cache(cache.path, key, data.train, data.train_stats);
  }
  train.reset();
  log_info() << "train pairs: " << data.train.size() << " kept, " << data.train.too_long
             << " skipped for having more than " << config.data.max_length << " subwords on a side";
  check_training_pairs_left(data.train.size(), data.train_stats, data.train.too_long, config.data);

  if (!config.data.valid.empty()) {
    ParallelCorpus valid = read_corpus(config.data.valid);
    data.valid_stats = valid.stats;
    log_info() << "valid corpus " << describe(valid.stats, config.data.valid);
    if (valid.size() == 0) {
      FERRY_THROW(DataError, "no validation pairs in "
                                 << quoted_files(config.data.valid) << ": " << valid.stats.lines << " read, "
                                 << valid.stats.empty_pairs << " with an empty side; give "
                                 << "pairs there, or no data.valid to train without validation");
    }
    data.valid = encode_corpus(valid, data.src_vocab, data.tgt_vocab, 0);
    data.valid_references = std::move(valid.tgt);
  }
  return data;
}

}  // namespace ferry
