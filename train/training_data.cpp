#include "train/training_data.h"

#include <memory>
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

// One side of the training corpus's kept pairs (or both, each pair's source then target), read from the
// files only when SentencePiece training asks for lines, so that the corpus is never held as text.
class CorpusSideLines : public LineSource {
 public:
  enum class Side { kSource, kTarget, kBoth };
  CorpusSideLines(const DataConfig& config, Side side) : config_(config), side_(side) {}

  bool next(std::string& line) override {
    if (side_ == Side::kBoth && pending_target_) {
      pending_target_ = false;
      line = std::move(tgt_);
      return true;
    }
    if (!reader_) reader_ = std::make_unique<CorpusReader>(config_.train, config_.max_pairs);
    if (!reader_->next(src_, tgt_)) {
      check_training_pairs_left(reader_->stats().lines - reader_->stats().empty_pairs, reader_->stats(), 0,
                                config_);
      return false;
    }
    line = std::move(side_ == Side::kTarget ? tgt_ : src_);
    pending_target_ = side_ == Side::kBoth;
    return true;
  }

 private:
  const DataConfig& config_;
  const Side side_;
  std::unique_ptr<CorpusReader> reader_;
  std::string src_, tgt_;
  bool pending_target_ = false;
};

}  // namespace

TrainingData prepare_training_data(const RunConfig& config, int threads, const PairCacheUse& cache) {
  create_subword_folder(config.vocab.src);
  create_subword_folder(config.vocab.tgt);
  TrainingData data;
  // Existing SentencePiece models are loaded; missing ones are trained on lines read from the corpus files
  // as the trainer samples them.
  const auto seed = static_cast<uint64_t>(config.training.seed);
  using Side = CorpusSideLines::Side;
  if (config.vocab.single) {
    CorpusSideLines lines(config.data, Side::kTarget);
    data.src_vocab = load_or_train_subwords(config.vocab.src, lines, seed, threads, "text");
    data.tgt_vocab = data.src_vocab;
  } else if (config.vocab.joint) {
    CorpusSideLines lines(config.data, Side::kBoth);
    data.src_vocab = load_or_train_subwords(config.vocab.src, lines, seed, threads, "joint");
    data.tgt_vocab = data.src_vocab;
  } else {
    CorpusSideLines src_lines(config.data, Side::kSource), tgt_lines(config.data, Side::kTarget);
    data.src_vocab = load_or_train_subwords(config.vocab.src, src_lines, seed, threads, "source");
    data.tgt_vocab = load_or_train_subwords(config.vocab.tgt, tgt_lines, seed, threads, "target");
  }

  const std::string key = cache.path.empty() ? "" : pair_cache_key(config.data, data.src_vocab, data.tgt_vocab);
  const PairCacheCheck check = cache.check_whole ? PairCacheCheck::kWhole : PairCacheCheck::kOnUse;
  std::optional<CachedPairs> cached = key.empty() ? std::nullopt : read_pair_cache(cache.path, key, check);
  if (cached) {
    data.train = std::move(cached->corpus);
    data.train_stats = cached->stats;
    log_info() << "train corpus " << describe(data.train_stats, config.data.train) << " (pairs from "
               << cache.path << ", encoded by an earlier run)";
  } else {
    // Read and encoded a chunk at a time: the text is never held whole.
    CorpusReader reader(config.data.train, config.data.max_pairs);
    data.train = encode_corpus(reader, data.src_vocab, data.tgt_vocab, config.data.max_length);
    data.train_stats = reader.stats();
    log_info() << "train corpus " << describe(data.train_stats, config.data.train);
    if (!key.empty() && cache.write) {
      write_pair_cache(cache.path, key, data.train, data.train_stats);
      // The pairs are used from the file just written, whose pages the other processes share, and the
      // encoded copy is let go.
      std::optional<CachedPairs> written = read_pair_cache(cache.path, key, PairCacheCheck::kOnUse);
      if (written) data.train = std::move(written->corpus);
    }
  }
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
