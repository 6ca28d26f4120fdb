// translate --score: the log-probability the model gives each (source line, reference line) pair, one number
// per line, for rescoring. Scored by forced decoding through the search's step function (see
// translate/forced_decoding.h).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "translate/batch_plan.h"
#include "translate/step_scorer.h"

namespace ferry {

struct PairScoringInput {
  const SubwordModel* src_vocab = nullptr;
  const SubwordModel* tgt_vocab = nullptr;
  std::string reference_path;      // one reference per source line (plain or .gz)
  int64_t max_input_length = 250;  // subwords kept per line on either side
  BatchLimits limits;
};

// Reads every source line from `in` and every reference line, checks that the counts agree (InputError naming
// both otherwise, before any output), prepares both sides as translation does (repairs and cuts warned about
// with the line number) and writes each pair's summed log-probability (its tokens and </s>, 6 decimals) to
// `out`, in order. Returns the number of pairs.
size_t score_pairs(std::istream& in, std::ostream& out, StepScorer& scorer, const PairScoringInput& input);

}  // namespace ferry
