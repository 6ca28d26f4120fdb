// Picking the best few tokens out of one row of log-probabilities, as beam search and top-k sampling need.
#pragma once

#include <cstdint>
#include <vector>

namespace ferry {

struct TokenScore {
  float log_prob;
  int token;
};

// Whether a ranks before b: higher log-probability, ties to the lower id.
inline bool ranks_before(const TokenScore& a, const TokenScore& b) {
  return a.log_prob > b.log_prob || (a.log_prob == b.log_prob && a.token < b.token);
}

// The k best tokens of `row` {vocab}, best first, into `out` (fewer if fewer qualify). Pad and <s> never
// qualify, </s> only `with_eos`, nor does a token of log-probability -inf or NaN.
void top_tokens(const float* row, int64_t vocab, int64_t k, bool with_eos, std::vector<TokenScore>& out);

}  // namespace ferry
