#include "data/batcher.h"

#include <algorithm>
#include <numeric>

#include "util/error.h"
#include "util/rng.h"

namespace ferry {

Batcher::Batcher(const EncodedCorpus& corpus, int64_t batch_tokens, uint64_t seed)
    : corpus_(corpus), batch_tokens_(batch_tokens), seed_(seed) {
  FERRY_CHECK(batch_tokens > 0, InternalError, "batch_tokens must be positive");
}

BatchPlan Batcher::cut(const std::vector<size_t>& order) const {
  // Sorting by target then source length makes neighbours alike on both sides: the target decides the
  // budget, and within a run of equal target lengths the sources climb slowly.
  std::vector<size_t> sorted = order;
  std::stable_sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) {
    const size_t ta = corpus_.tgt.length(a), tb = corpus_.tgt.length(b);
    return ta != tb ? ta < tb : corpus_.src.length(a) < corpus_.src.length(b);
  });
  BatchPlan batches;
  std::vector<size_t> current;
  int64_t longest = 0;
  for (size_t index : sorted) {
    const int64_t length = static_cast<int64_t>(corpus_.tgt.length(index)) + 1;
    const int64_t next_longest = std::max(longest, length);
    if (!current.empty() && next_longest * static_cast<int64_t>(current.size() + 1) > batch_tokens_) {
      batches.push_back(std::move(current));
      current.clear();
      longest = 0;
    }
    current.push_back(index);
    longest = std::max(longest, length);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

BatchPlan Batcher::plan(int64_t epoch) const {
  std::vector<size_t> order(corpus_.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed_, static_cast<uint64_t>(epoch));
  rng.shuffle(order);  // ties in length are broken differently every epoch
  BatchPlan batches = cut(order);
  rng.shuffle(batches);
  return batches;
}

BatchPlan Batcher::sorted_plan() const {
  std::vector<size_t> order(corpus_.size());
  std::iota(order.begin(), order.end(), 0);
  return cut(order);
}

}  // namespace ferry
