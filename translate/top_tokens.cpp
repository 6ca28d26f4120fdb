#include "translate/top_tokens.h"

#include <cstddef>
#include <limits>

#include "util/special_ids.h"

namespace ferry {

void top_tokens(const float* row, int64_t vocab, int64_t k, bool with_eos, std::vector<TokenScore>& out) {
  out.clear();
  if (k <= 0) return;
  const auto limit = static_cast<size_t>(k);
  constexpr float kNegativeInfinity = -std::numeric_limits<float>::infinity();
  for (int64_t v = 0; v < vocab; ++v) {
    const float value = row[v];
    if (!(value > kNegativeInfinity)) continue;  // also skips NaN
    if (v == kPadId || v == kBosId || (v == kEosId && !with_eos)) continue;
    const TokenScore candidate{value, static_cast<int>(v)};
    if (out.size() == limit) {
      // Tokens arrive in increasing id order, so an equal log-probability never displaces an earlier one.
      if (!(value > out.back().log_prob)) continue;
      out.pop_back();
    }
    size_t at = out.size();
    out.push_back(candidate);
    while (at > 0 && ranks_before(candidate, out[at - 1])) {
      out[at] = out[at - 1];
      --at;
    }
    out[at] = candidate;
  }
}

}  // namespace ferry
