// An ensemble of step scorers searched as one: each step's log-probabilities are the mean of the members'
// (log-linear combination with equal weights, renormalised so that each row is a distribution again), and
// the attention weights the mean of the members that attend. Every member sees the same source ids, rows and
// reorderings, so members must share the target vocabulary (and, for the same source ids, the source one).
#pragma once

#include <vector>

#include "translate/step_scorer.h"

namespace ferry {

class EnsembleScorer : public StepScorer {
 public:
  // The members must outlive the ensemble; InternalError for none or for members of other vocabulary sizes.
  explicit EnsembleScorer(const std::vector<StepScorer*>& members);

  int64_t vocab() const override { return members_.front()->vocab(); }
  bool has_attention() const override;
  void begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) override;
  const Tensor& step(const std::vector<int>& tokens) override;
  const Tensor& attention() const override { return attention_; }
  void reorder_rows(const std::vector<int>& rows) override;
  void keep_sentences(const std::vector<int>& sentences) override;

 private:
  std::vector<StepScorer*> members_;
  Tensor log_probs_;  // {R, V}
  Tensor attention_;  // {R, S}
};

}  // namespace ferry
