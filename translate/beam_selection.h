// One beam-search step for one sentence: which extensions of its rows finish and which continue.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/top_tokens.h"

namespace ferry {

// A row of the sentence's group (0..beam-1) extended by a token, with the extended cumulative
// log-probability.
struct Extension {
  int row;
  int token;
  double log_prob;
};

class BeamSelection {
 public:
  explicit BeamSelection(int64_t beam);

  // The best `beam` tokens of one row other than </s>, as select() needs them. Rows are independent, so a
  // caller may rank the rows of a whole step in parallel.
  static void rank_row(const float* row_log_probs, int64_t vocab, int64_t beam, std::vector<TokenScore>& out);

  // scores {beam}: cumulative log-probability of each row of the sentence (-inf: a row without hypothesis);
  // log_probs {beam, vocab}: the step's log-probabilities of those rows; row_best {beam}: rank_row() of each
  // row with a hypothesis (unread with `force_end`, when only </s> extends). Of all extensions ranked by
  // log-probability (ties: lower row, then lower token first), those ending in </s> that rank among the best
  // `beam` finish; the best `beam` others continue.
  void select(const double* scores, const float* log_probs, const std::vector<TokenScore>* row_best,
              int64_t vocab, bool force_end);

  const std::vector<Extension>& finished() const { return finished_; }
  // Best first, at most `beam`.
  const std::vector<Extension>& continuing() const { return continuing_; }

 private:
  int64_t beam_;
  std::vector<Extension> pool_, finished_, continuing_;
};

}  // namespace ferry
