// The `data` and `vocab` sections of a config: which corpora to read and how to cut them into subwords.
#pragma once

#include <string>

#include "util/config_reader.h"

namespace ferry {

// A parallel corpus (src and tgt), or a language model's text (text alone).
struct CorpusPaths {
  std::string src;
  std::string tgt;
  std::string text;
  bool empty() const { return src.empty() && tgt.empty() && text.empty(); }
};

struct DataConfig {
  CorpusPaths train;
  CorpusPaths valid;       // empty: no validation
  int64_t max_length = 100;  // subword tokens per side; longer training pairs are skipped and counted
  int64_t max_pairs = 0;     // read at most this many training pairs (0: all), for quick runs
};

struct SubwordConfig {
  std::string model;   // SentencePiece model file; trained from the training data when missing
  int64_t size = 8000;
  std::string type = "unigram";
  double character_coverage = 1.0;
  // Training reads a seeded random sample of this many lines when the corpus has more.
  int64_t sample_sentences = 2000000;
};

struct VocabConfig {
  // A language model's one vocabulary (vocab.model, vocab.size, ...) fills both, with `single` set.
  SubwordConfig src;
  SubwordConfig tgt;
  bool single = false;
  // One model, trained on both languages' training text, serves both sides; src and tgt then describe the
  // same model.
  bool joint = false;
};

// Reads and checks the sections (ConfigError with file:line on any problem). With `check_files`, the corpus
// files must exist. A corpus is given as src and tgt, or as text (a language model's); the vocabulary as
// src and tgt sections, or by vocab.model and its keys (a language model's).
DataConfig read_data_config(ConfigReader& data, bool check_files);
VocabConfig read_vocab_config(ConfigReader& vocab);

}  // namespace ferry
