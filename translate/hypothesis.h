// What a search returns per sentence: finished hypotheses, best first.
#pragma once

#include <vector>

#include "data/subword.h"

namespace ferry {

struct Hypothesis {
  TokenIds tokens;      // the output, without </s>
  double log_prob = 0;  // summed log-probability of the tokens and the final </s>
  double score = 0;     // log_prob normalised for length: what hypotheses are ranked by
  std::vector<float>
      attention;  // when kept: {tokens + 1, source length + 1} row-major, </s> last on both sides
};

// A sentence's hypotheses, best score first.
using NBest = std::vector<Hypothesis>;

}  // namespace ferry
