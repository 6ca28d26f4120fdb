// The step scorer of a trained network: encodes each batch once, then steps its decoder over the rows.
#pragma once

#include "model/seq2seq.h"
#include "translate/step_scorer.h"

namespace ferry {

class ModelScorer : public StepScorer {
 public:
  // The network must outlive the scorer.
  explicit ModelScorer(Seq2Seq& network);

  int64_t vocab() const override { return network_.tgt_vocab(); }
  bool has_attention() const override;
  void begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) override;
  const Tensor& step(const std::vector<int>& tokens) override;
  bool picks_best() const override { return true; }
  const std::vector<int>& step_best(const std::vector<int>& tokens) override;
  const Tensor& attention() const override { return state_.attention; }
  void reorder_rows(const std::vector<int>& rows) override;
  void keep_sentences(const std::vector<int>& sentences) override;

 private:
  Seq2Seq& network_;
  SearchState state_;
  std::vector<int> src_;      // {S, B} time-major: x </s> pad...
  std::vector<int> lengths_;  // {B}, </s> included
  Tensor log_probs_;          // {R, V}
  std::vector<int> best_;     // {R}
};

}  // namespace ferry
