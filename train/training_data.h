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

// Runs the data pipeline for `config`, logging what it read, skipped and repaired. `threads` is used for
// SentencePiece training.
TrainingData prepare_training_data(const RunConfig& config, int threads);

}  // namespace ferry
