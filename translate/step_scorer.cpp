#include "translate/step_scorer.h"

#include "util/error.h"

namespace ferry {

const std::vector<int>& StepScorer::step_best(const std::vector<int>& /*tokens*/) {
  FERRY_THROW(InternalError, "step_best: this scorer picks no best tokens (picks_best() is false)");
}

}  // namespace ferry
