#include "translate/ensemble_scorer.h"

#include "core/ops/arith.h"
#include "core/ops/softmax.h"
#include "util/error.h"

namespace ferry {

EnsembleScorer::EnsembleScorer(const std::vector<StepScorer*>& members) : members_(members) {
  FERRY_CHECK(!members_.empty(), InternalError, "an ensemble needs at least one member");
  for (const StepScorer* member : members_) {
    FERRY_CHECK(member->vocab() == members_.front()->vocab(), InternalError,
                "ensemble members with target vocabularies of " << members_.front()->vocab() << " and "
                                                                << member->vocab() << " entries");
  }
}

bool EnsembleScorer::has_attention() const {
  for (const StepScorer* member : members_) {
    if (member->has_attention()) return true;
  }
  return false;
}

void EnsembleScorer::begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) {
  for (StepScorer* member : members_) member->begin(sources, rows_per_sentence);
}

const Tensor& EnsembleScorer::step(const std::vector<int>& tokens) {
  const auto rows = static_cast<int64_t>(tokens.size());
  log_probs_.resize({rows, vocab()});
  log_probs_.zero();
  int attending = 0;
  for (StepScorer* member : members_) {
    add_in_place(log_probs_, member->step(tokens));
    if (!member->has_attention()) continue;
    const Tensor& weights = member->attention();
    if (attending++ == 0) {
      attention_.resize(weights.dims());
      attention_.zero();
    }
    FERRY_CHECK(weights.dims() == attention_.dims(), InternalError,
                "ensemble members' attention weights of dims " << dims_text(attention_.dims()) << " and "
                                                               << dims_text(weights.dims()));
    add_in_place(attention_, weights);
  }
  scale_in_place(log_probs_, 1.0f / static_cast<float>(members_.size()));
  if (attending > 0) scale_in_place(attention_, 1.0f / static_cast<float>(attending));
  // The mean of log-distributions is one only up to a constant per row: normalise it again.
  Tensor rows_view = log_probs_.reshaped({1, rows, vocab()});
  masked_log_softmax(rows_view, {vocab()}, 0, rows_view);
  return log_probs_;
}

void EnsembleScorer::reorder_rows(const std::vector<int>& rows) {
  for (StepScorer* member : members_) member->reorder_rows(rows);
}

void EnsembleScorer::keep_sentences(const std::vector<int>& sentences) {
  for (StepScorer* member : members_) member->keep_sentences(sentences);
}

}  // namespace ferry
