// The data side of a training run: corpora read and cleaned, subword models loaded or trained, pairs encoded
// and filtered.
#pragma once

#include "data/corpus.h"
#include "data/dataset.h"
#include "data/subword.h"
#include "train/run_config.h"

namespace ferry {

struct TrainingData {
  SubwordModel src_vocab;
  SubwordModel tgt_vocab;
  EncodedCorpus train;
  EncodedCorpus valid;     // empty when the config names no validation corpus
  CorpusStats train_stats;
  CorpusStats valid_stats;
  std::vector<std::string> valid_references;  // cleaned target lines of the validation pairs kept, for BLEU
};

// Where the encoded training pairs are cached (see train/pair_cache.h): no cache when `path` is empty. Process
// 0 of a run writes the cache (`write`) and checks a cache it finds whole (`check_whole`); with `write` false
// the cache is read but never written (a dry run; the other processes of a data-parallel run, which come
// after process 0 and check each pair only as their batches read it).
struct PairCacheUse {
  std::string path;
  bool write = false;
  bool check_whole = true;
};

// Runs the data pipeline for `config`, logging what it read, skipped and repaired. `threads` is used for
// SentencePiece training. Training text is read only when a SentencePiece model must be trained or the
// cache cannot serve the pairs.
TrainingData prepare_training_data(const RunConfig& config, int threads, const PairCacheUse& cache = {});

}  // namespace ferry
