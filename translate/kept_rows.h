// Rows that leave a step-by-step pass (forced decoding, text generation) when their sequence ends.
#pragma once

#include <cstddef>
#include <vector>

#include "translate/step_scorer.h"

namespace ferry {

// After a step in which only the rows `kept` (increasing) go on: `active` (what each row stands for) keeps
// those rows' entries in order, `tokens` (the next tokens, already written at the kept rows' new positions)
// is cut to their count, and the scorer keeps those rows (one row per sentence).
void keep_rows(StepScorer& scorer, const std::vector<int>& kept, std::vector<size_t>& active,
               std::vector<int>& tokens);

}  // namespace ferry
