#include "translate/token_sampler.h"

#include <cmath>
#include <limits>

#include "util/special_ids.h"

namespace ferry {
namespace {

bool drawable(int64_t token, float log_prob) {
  return token != kPadId && token != kBosId && log_prob > -std::numeric_limits<float>::infinity();
}

// Draws among every token of the row: two passes (maximum, then the total mass), then a walk to the draw.
int sample_all(const float* row, int64_t vocab, double inverse_temperature, Rng& rng) {
  float top = -std::numeric_limits<float>::infinity();
  for (int64_t v = 0; v < vocab; ++v)
    if (drawable(v, row[v]) && row[v] > top) top = row[v];
  if (!(top > -std::numeric_limits<float>::infinity())) return -1;
  double total = 0;
  for (int64_t v = 0; v < vocab; ++v)
    if (drawable(v, row[v])) total += std::exp((row[v] - top) * inverse_temperature);
  const double target = rng.uniform() * total;
  double mass = 0;
  int last = -1;
  for (int64_t v = 0; v < vocab; ++v) {
    if (!drawable(v, row[v])) continue;
    last = static_cast<int>(v);
    mass += std::exp((row[v] - top) * inverse_temperature);
    if (mass > target) return last;
  }
  return last;  // rounding left the target at the very end of the mass
}

int sample_top(const std::vector<TokenScore>& best, double inverse_temperature, Rng& rng) {
  if (best.empty()) return -1;
  double total = 0;
  for (const TokenScore& t : best)
    total += std::exp((t.log_prob - best.front().log_prob) * inverse_temperature);
  const double target = rng.uniform() * total;
  double mass = 0;
  for (const TokenScore& t : best) {
    mass += std::exp((t.log_prob - best.front().log_prob) * inverse_temperature);
    if (mass > target) return t.token;
  }
  return best.back().token;
}

}  // namespace

int sample_token(const float* row, int64_t vocab, const SamplingOptions& options, Rng& rng,
                 std::vector<TokenScore>& scratch) {
  const double inverse_temperature = 1.0 / options.temperature;
  if (options.top_k <= 0) return sample_all(row, vocab, inverse_temperature, rng);
  top_tokens(row, vocab, options.top_k, /*with_eos=*/true, scratch);
  return sample_top(scratch, inverse_temperature, rng);
}

}  // namespace ferry
