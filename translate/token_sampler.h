// Drawing the next token of a sampled hypothesis from one row of log-probabilities.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/search_options.h"
#include "translate/top_tokens.h"
#include "util/rng.h"

namespace ferry {

// Draws a token with probability proportional to exp(log_prob / temperature), among the top_k most probable
// tokens when top_k > 0, and then, when top_p < 1, among the fewest most probable of those whose
// probabilities (after the temperature, renormalised over them) add up to at least top_p (nucleus sampling).
// Pad and <s> are never drawn; </s> may be. `scratch` is reused between calls.
// Returns -1 when no token has a finite log-probability.
int sample_token(const float* row, int64_t vocab, const SamplingOptions& options, Rng& rng,
                 std::vector<TokenScore>& scratch);

}  // namespace ferry
