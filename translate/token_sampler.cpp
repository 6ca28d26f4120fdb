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

// Keeps the fewest leading tokens of `best` (best first) whose probabilities after the temperature add up to
// at least `top_p` of the whole list's.
void keep_nucleus(std::vector<TokenScore>& best, double inverse_temperature, double top_p) {
  if (best.empty()) return;
  double total = 0;
  for (const TokenScore& t : best)
    total += std::exp((t.log_prob - best.front().log_prob) * inverse_temperature);
  double mass = 0;
  for (size_t i = 0; i < best.size(); ++i) {
    mass += std::exp((best[i].log_prob - best.front().log_prob) * inverse_temperature);
    if (mass >= top_p * total) {
      best.resize(i + 1);
      return;
    }
  }
}

}  // namespace

int sample_token(const float* row, int64_t vocab, const SamplingOptions& options, Rng& rng,
                 std::vector<TokenScore>& scratch) {
  const double inverse_temperature = 1.0 / options.temperature;
  const bool nucleus = options.top_p < 1.0;
  if (options.top_k <= 0 && !nucleus) return sample_all(row, vocab, inverse_temperature, rng);
  top_tokens(row, vocab, options.top_k > 0 ? options.top_k : vocab, /*with_eos=*/true, scratch);
  if (nucleus) keep_nucleus(scratch, inverse_temperature, options.top_p);
  return sample_top(scratch, inverse_temperature, rng);
}

}  // namespace ferry
