// Validation during training: perplexity of the dev set under teacher forcing (inference primitives, no
// dropout) and BLEU and chrF of its translations (greedy, or a beam of training.validation_beam_size),
// detokenised and scored as sacreBLEU does against the cleaned references. A language model's validation is
// its perplexity alone, of each sentence by itself, or, for a stream-trained one (training.bptt), of the
// validation text as a stream.
#pragma once

#include <limits>
#include <vector>

#include "model/seq2seq.h"
#include "train/run_config.h"
#include "train/training_data.h"

namespace ferry {

struct ValidationResult {
  double ppl = std::numeric_limits<double>::quiet_NaN();
  double bleu = std::numeric_limits<double>::quiet_NaN();
  double chrf = std::numeric_limits<double>::quiet_NaN();
  int64_t tokens = 0;
};

class Validator {
 public:
  // The data must outlive the validator.
  Validator(const RunConfig& config, const TrainingData& data);

  bool enabled() const { return data_.valid.size() > 0; }
  ValidationResult run(Seq2Seq& model) const;

 private:
  const RunConfig& config_;
  const TrainingData& data_;
  const std::vector<TokenIds> sources_;  // the validation sources as translate_ids takes them
};

}  // namespace ferry
