#include "model/word_dropout.h"

#include "util/error.h"
#include "util/rng.h"
#include "util/special_ids.h"

namespace ferry {

WordDropout::WordDropout(float rate, uint64_t seed) : rate_(rate), seed_(seed) {
  FERRY_CHECK(rate >= 0.0f && rate < 1.0f, InternalError, "word dropout rate " << rate << " outside [0, 1)");
}

void WordDropout::apply(const std::vector<int>& ids, bool training, std::vector<int>& out) {
  out.assign(ids.begin(), ids.end());
  if (!training || rate_ <= 0.0f) return;
  Rng rng(seed_, calls_++);
  for (int& id : out) {
    // One draw per position, special or not, so that a word's fate does not depend on its neighbours'.
    const bool dropped = rng.uniform() < rate_;
    if (dropped && id > kEosId) id = kUnkId;
  }
}

}  // namespace ferry
