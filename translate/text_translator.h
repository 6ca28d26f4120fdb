// Translating and scoring sentences held in memory, for callers that are not a command line (the Python
// module): the models loaded once, their decoding section with a beam size of the caller's, lines prepared
// as translate prepares them (repairs and cuts logged as warnings). One caller at a time: the search and the
// oneDNN context are not shared between threads (the caller serialises).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"
#include "translate/decode_config.h"
#include "translate/model_set.h"
#include "translate/translator.h"

namespace ferry {

struct TextTranslatorOptions {
  std::vector<std::string> models;     // one, or the members of an ensemble
  std::optional<Precision> precision;  // instead of the model's model.precision
  std::optional<int64_t> beam_size;    // instead of the model's decoding.beam_size (1..256)
  int threads = 0;                     // 0: every core
};

class TextTranslator {
 public:
  // ModelFileError for a missing or damaged model, ConfigError for a beam size out of range, InputError for
  // a language model or other bad options.
  explicit TextTranslator(const TextTranslatorOptions& options);

  // One translation per line, in order; an empty line gives an empty translation.
  std::vector<std::string> translate(const std::vector<std::string>& lines);
  // The log-probability of each target given its source (natural log, summed over the target's subwords and
  // </s>). InputError unless there are as many targets as sources.
  std::vector<double> score(const std::vector<std::string>& sources, const std::vector<std::string>& targets);

  const DecodeConfig& decoding() const { return decoding_; }
  Precision precision() const { return precision_; }
  int threads() const { return threads_; }

 private:
  // OpenMP's thread count belongs to the calling thread: set again by every call.
  void use_threads() const;

  int threads_;
  ModelSet models_;
  DecodeConfig decoding_;
  Precision precision_;
  Translator translator_;
};

}  // namespace ferry
