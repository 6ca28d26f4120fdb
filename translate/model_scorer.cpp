#include "translate/model_scorer.h"

#include <algorithm>

namespace ferry {

ModelScorer::ModelScorer(Seq2Seq& network) : network_(network) {}

bool ModelScorer::has_attention() const { return network_.has_attention(); }

void ModelScorer::begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) {
  const auto batch = static_cast<int64_t>(sources.size());
  lengths_.resize(sources.size());
  int64_t steps = 0;
  for (size_t b = 0; b < sources.size(); ++b) {
    lengths_[b] = static_cast<int>(sources[b].size()) + 1;
    steps = std::max<int64_t>(steps, lengths_[b]);
  }
  src_.assign(static_cast<size_t>(steps * batch), kPadId);
  for (int64_t b = 0; b < batch; ++b) {
    const TokenIds& x = sources[b];
    for (size_t t = 0; t < x.size(); ++t) src_[t * batch + b] = x[t];
    src_[x.size() * batch + b] = kEosId;
  }
  network_.begin_search(src_, steps, lengths_, rows_per_sentence, state_);
}

const Tensor& ModelScorer::step(const std::vector<int>& tokens) {
  network_.search_step(tokens, state_, log_probs_);
  return log_probs_;
}

const std::vector<int>& ModelScorer::step_best(const std::vector<int>& tokens) {
  network_.search_step_best(tokens, state_, best_);
  return best_;
}

void ModelScorer::reorder_rows(const std::vector<int>& rows) { network_.reorder_rows(state_, rows); }

void ModelScorer::keep_sentences(const std::vector<int>& sentences) {
  network_.keep_sentences(state_, sentences);
}

}  // namespace ferry
