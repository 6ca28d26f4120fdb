#include "train/training_data.h"

#include "util/log.h"

namespace ferry {

TrainingData prepare_training_data(const RunConfig& config, int threads) {
  TrainingData data;
  ParallelCorpus train = read_parallel_corpus(config.data.train, config.data.max_pairs);
  data.train_stats = train.stats;
  log_info() << "train corpus " << describe(train.stats, config.data.train);

  const auto seed = static_cast<uint64_t>(config.training.seed);
  data.src_vocab = load_or_train_subwords(config.vocab.src, train.src, seed, threads, "source");
  data.tgt_vocab = load_or_train_subwords(config.vocab.tgt, train.tgt, seed, threads, "target");

  data.train = encode_corpus(train, data.src_vocab, data.tgt_vocab, config.data.max_length);
  log_info() << "train pairs: " << data.train.size() << " kept, " << data.train.too_long
             << " skipped for having more than " << config.data.max_length << " subwords on a side";

  if (!config.data.valid.empty()) {
    ParallelCorpus valid = read_parallel_corpus(config.data.valid);
    data.valid_stats = valid.stats;
    log_info() << "valid corpus " << describe(valid.stats, config.data.valid);
    data.valid = encode_corpus(valid, data.src_vocab, data.tgt_vocab, 0);
    data.valid_references = std::move(valid.tgt);
  }
  return data;
}

}  // namespace ferry
