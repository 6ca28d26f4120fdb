// Scoring given translations: each target is fed to the scorer token by token (teacher forcing through the
// same step function search uses), and the log-probabilities of its tokens and the final </s> are summed.
#pragma once

#include <vector>

#include "translate/batch_plan.h"
#include "translate/step_scorer.h"

namespace ferry {

// The log-probability of targets[i] given sources[i] for every pair, in order. Pairs are batched by source
// length within `limits`; a pair leaves its batch once its </s> is scored.
std::vector<double> force_decode(StepScorer& scorer, const std::vector<TokenIds>& sources,
                                 const std::vector<TokenIds>& targets, const BatchLimits& limits);

}  // namespace ferry
