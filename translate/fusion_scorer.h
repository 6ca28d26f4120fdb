// Shallow fusion of a translation model with a target-language model: each step's score of a token is the
// translation model's log-probability plus `weight` times the language model's, which reads the same
// target prefix and no source. The sum is not normalised again: beam search ranks hypotheses by it.
#pragma once

#include "translate/step_scorer.h"

namespace ferry {

class FusionScorer : public StepScorer {
 public:
  // Both scorers must outlive this one and share the target vocabulary; weight >= 0.
  FusionScorer(StepScorer& translation, StepScorer& language_model, double weight);

  int64_t vocab() const override { return translation_.vocab(); }
  bool has_attention() const override { return translation_.has_attention(); }
  void begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) override;
  const Tensor& step(const std::vector<int>& tokens) override;
  const Tensor& attention() const override { return translation_.attention(); }
  void reorder_rows(const std::vector<int>& rows) override;
  void keep_sentences(const std::vector<int>& sentences) override;

 private:
  StepScorer& translation_;
  StepScorer& language_model_;
  float weight_;
  Tensor fused_;
};

}  // namespace ferry
