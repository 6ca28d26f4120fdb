// Scoring (source line, reference line) pairs: the log-probability the model gives each reference, for
// rescoring (translate --score) and for the score program. Scored by forced decoding through the search's
// step function (see translate/forced_decoding.h).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "translate/batch_plan.h"
#include "translate/step_scorer.h"

namespace ferry {

// One line per pair: the log-probability alone (translate --score); 'log_prob tokens perplexity' separated by
// tabs; or a JSON object {"log_prob": ..., "tokens": ..., "ppl": ...}. Tokens count the reference's
// subwords and </s>; perplexity is exp(-log_prob / tokens).
enum class ScoreFormat { kLogProb, kFields, kJson };

struct PairScoringInput {
  const SubwordModel* src_vocab = nullptr;
  const SubwordModel* tgt_vocab = nullptr;
  // Where the lines come from: a file (plain or .gz), or standard input when empty. One side may come from
  // standard input.
  std::string source_path;
  std::string reference_path;
  // A language model's scoring: no sources (source_path unused), each reference line scored alone.
  bool text_only = false;
  int64_t max_input_length = 250;  // subwords kept per line on either side
  BatchLimits limits;
  ScoreFormat format = ScoreFormat::kLogProb;
};

// What was scored: pairs, and the sums over them of log-probabilities and tokens (the corpus perplexity is
// exp(-log_prob / tokens)).
struct ScoringSummary {
  size_t pairs = 0;
  double log_prob = 0.0;
  int64_t tokens = 0;
};

// Reads every source line and every reference line (from `in` for the side without a path), checks that the
// counts agree (InputError naming both otherwise, before any output), prepares both sides as translation does
// (repairs and cuts warned about with the line number) and writes each pair's score in `input.format`
// (log-probabilities summed over its tokens and </s>, 6 decimals) to `out`, in order.
ScoringSummary score_pairs(std::istream& in, std::ostream& out, StepScorer& scorer,
                           const PairScoringInput& input);

}  // namespace ferry
