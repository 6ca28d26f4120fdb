// Batched search over (sentences x rows): beam search (greedy is a beam of one) and sampling share one step
// loop. Every step scores all rows at once, extends or finishes each row's hypothesis, reorders the rows and
// lets finished sentences leave the batch, so the work shrinks as sentences end. Buffers live in the object
// and are reused from batch to batch; a step allocates only for hypotheses it returns.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/beam_selection.h"
#include "translate/hypothesis.h"
#include "translate/hypothesis_trail.h"
#include "translate/search_options.h"
#include "translate/step_scorer.h"
#include "util/rng.h"

namespace ferry {

class Search {
 public:
  // InputError for inconsistent options (see check_search_options).
  explicit Search(const SearchOptions& options);

  const SearchOptions& options() const { return options_; }
  // Rows searched per sentence: the beam size, or with sampling the number of samples (n_best).
  int64_t rows_per_sentence() const { return rows_; }

  // Searches one batch. keys {B}: per sentence, what its sampling draws are seeded with (with the options'
  // seed), so a sentence's samples do not depend on its batch. results: resized to B, each sentence's
  // finished hypotheses best first, at most n_best.
  void run(StepScorer& scorer, const std::vector<TokenIds>& sources, const std::vector<uint64_t>& keys,
           std::vector<NBest>& results);

 private:
  void start(const std::vector<TokenIds>& sources, const std::vector<uint64_t>& keys);
  // Beam search: the best tokens of every row with a hypothesis that may go on, all rows at once on the
  // program's threads.
  void rank_rows(const float* log_probs, int64_t vocab, int64_t step);
  // Extends the rows of the sentence at `position` (batch sentence `sentence`); false when it is done.
  bool extend_beam(int64_t position, int sentence, bool force_end, const float* log_probs, int64_t vocab,
                   std::vector<NBest>& results);
  // A greedy search's row of the sentence at `position` when only its best token is known (-1: none).
  bool extend_best(int64_t position, int sentence, bool force_end, int best, std::vector<NBest>& results);
  bool extend_samples(int64_t position, int sentence, bool force_end, const float* log_probs, int64_t vocab,
                      std::vector<NBest>& results);
  // Sets next row `row` to continue old row `parent` with `token`; a negative `node` marks a row without
  // hypothesis.
  void set_next(int64_t row, int64_t parent, int token, double log_prob, int node);
  // Records the finished hypothesis ending at `node`.
  void finish(int sentence, int node, double log_prob, std::vector<NBest>& results);
  // The attention row of current row `row` for the trail (nullptr when not kept).
  const float* attention_row(int64_t row) const;
  // Drops the rows of sentences that are done; tells the scorer. Returns false when none is left.
  bool keep_unfinished(StepScorer& scorer);
  // The scorer's row of row `row` (which must be one the scorer holds): the scorer holds scored_rows_ of
  // each sentence's rows_ rows.
  int64_t scorer_row(int64_t row) const;

  SearchOptions options_;
  int64_t rows_;
  BeamSelection selection_;
  HypothesisTrail trail_;
  std::vector<TokenScore> sample_scratch_;

  // Per batch sentence.
  std::vector<int64_t> max_length_;
  std::vector<int64_t> source_columns_;  // source length + 1: the attention columns a hypothesis keeps
  std::vector<Rng> rngs_;
  // Per sentence still searched, in the scorer's order.
  std::vector<int> active_;
  std::vector<int> kept_;  // positions in active_ that stay after this step
  // Per row (R = active sentences x rows_), current and next step.
  std::vector<int> tokens_, next_tokens_;
  std::vector<double> scores_, next_scores_;
  std::vector<int> nodes_, next_nodes_;
  std::vector<int> parents_;     // next row i continues current row parents_[i]
  int64_t scored_rows_ = 1;      // rows per sentence the scorer holds: 1 at a beam search's first step
  std::vector<int> fed_tokens_;  // the last tokens of the rows the scorer holds
  std::vector<std::vector<TokenScore>> row_best_;  // rank_rows() of this step
  const Tensor* attention_ = nullptr;
  int64_t attention_width_ = 0;
};

}  // namespace ferry
