#include "translate/top_tokens.h"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "util/special_ids.h"

namespace ferry {
namespace {

constexpr float kNegativeInfinity = -std::numeric_limits<float>::infinity();

// Tokens of a row checked at once against the current threshold: four vector maxima and one compare for
// most blocks.
constexpr int64_t kBlock = 64;

// Offers token v to `out`, kept sorted best first with at most `limit` entries.
void offer(float value, int64_t v, size_t limit, std::vector<TokenScore>& out) {
  if (!(value > kNegativeInfinity)) return;  // also skips NaN
  const TokenScore candidate{value, static_cast<int>(v)};
  if (out.size() == limit) {
    // Tokens arrive in increasing id order, so an equal log-probability never displaces an earlier one.
    if (!(value > out.back().log_prob)) return;
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

}  // namespace

void top_tokens(const float* row, int64_t vocab, int64_t k, bool with_eos, std::vector<TokenScore>& out) {
  out.clear();
  if (k <= 0) return;
  const auto limit = static_cast<size_t>(k);
  // The special ids come first: offered one by one.
  const int64_t specials_end = std::min<int64_t>(vocab, kEosId + 1);
  for (int64_t v = 0; v < specials_end; ++v)
    if (v != kPadId && v != kBosId && (v != kEosId || with_eos)) offer(row[v], v, limit, out);
  // The rest block by block: most blocks hold nothing above the worst token kept, which the block's maximum
  // shows. A block that does is offered token by token, as above.
  int64_t v = specials_end;
  for (; v + kBlock <= vocab; v += kBlock) {
    const float threshold = out.size() == limit ? out.back().log_prob : kNegativeInfinity;
    float block_max = kNegativeInfinity;  // NaN never wins the comparison, so it never counts
#pragma omp simd reduction(max : block_max)
    for (int64_t i = 0; i < kBlock; ++i) block_max = row[v + i] > block_max ? row[v + i] : block_max;
    if (!(block_max > threshold)) continue;
    for (int64_t i = 0; i < kBlock; ++i) offer(row[v + i], v + i, limit, out);
  }
  for (; v < vocab; ++v) offer(row[v], v, limit, out);
}

}  // namespace ferry
