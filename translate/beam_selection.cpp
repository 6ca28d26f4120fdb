#include "translate/beam_selection.h"

#include <algorithm>
#include <limits>

#include "util/special_ids.h"

namespace ferry {

BeamSelection::BeamSelection(int64_t beam) : beam_(beam) {
  const auto size = static_cast<size_t>(beam);
  pool_.reserve(size * size + size);
  finished_.reserve(size);
  continuing_.reserve(size);
}

void BeamSelection::rank_row(const float* row_log_probs, int64_t vocab, int64_t beam,
                             std::vector<TokenScore>& out) {
  top_tokens(row_log_probs, vocab, beam, /*with_eos=*/false, out);
}

void BeamSelection::select(const double* scores, const float* log_probs,
                           const std::vector<TokenScore>* row_best, int64_t vocab, bool force_end) {
  pool_.clear();
  finished_.clear();
  continuing_.clear();
  constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();
  for (int64_t k = 0; k < beam_; ++k) {
    if (!(scores[k] > kNegativeInfinity)) continue;
    const float* row = log_probs + k * vocab;
    const int row_index = static_cast<int>(k);
    // At the length limit every hypothesis ends, however unlikely its </s>.
    if (force_end || row[kEosId] > -std::numeric_limits<float>::infinity())
      pool_.push_back({row_index, kEosId, scores[k] + row[kEosId]});
    if (force_end) continue;
    // The best `beam` continuations overall are among the best `beam` of each row.
    for (const TokenScore& t : row_best[k]) pool_.push_back({row_index, t.token, scores[k] + t.log_prob});
  }
  std::sort(pool_.begin(), pool_.end(), [](const Extension& a, const Extension& b) {
    if (a.log_prob != b.log_prob) return a.log_prob > b.log_prob;
    if (a.row != b.row) return a.row < b.row;
    return a.token < b.token;
  });
  const auto beam = static_cast<size_t>(beam_);
  for (size_t rank = 0; rank < pool_.size(); ++rank) {
    const Extension& e = pool_[rank];
    if (e.token == kEosId) {
      if (rank < beam) finished_.push_back(e);
    } else if (continuing_.size() < beam) {
      continuing_.push_back(e);
    }
    if (rank + 1 >= beam && continuing_.size() == beam) break;
  }
}

}  // namespace ferry
