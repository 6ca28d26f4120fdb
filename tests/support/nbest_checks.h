// Comparing n-best lists of two searches that should agree.
#pragma once

#include <vector>

#include "translate/hypothesis.h"

namespace ferry {

// The same hypotheses (tokens) in the same order for every source, their scores within 1e-4.
void expect_same_nbest(const std::vector<NBest>& got, const std::vector<NBest>& expected);

}  // namespace ferry
