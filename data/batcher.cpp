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

namespace {

// `order` sorted stably by key(index), the keys being lengths: a counting sort, linear in the pairs, with one
// count per length up to the longest (at most the corpus's ids).
template <typename Key>
std::vector<size_t> sorted_by(const std::vector<size_t>& order, Key key) {
  size_t longest = 0;
  for (size_t index : order) longest = std::max(longest, key(index));
  std::vector<size_t> start(longest + 2, 0);
  for (size_t index : order) ++start[key(index) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<size_t> sorted(order.size());
  for (size_t index : order) sorted[start[key(index)]++] = index;
  return sorted;
}

}  // namespace

BatchPlan Batcher::cut(const std::vector<size_t>& order) const {
  // Sorting by target then source length makes neighbours alike on both sides: the target decides the
  // budget, and within a run of equal target lengths the sources climb slowly. Equal pairs keep their order
  // in `order` (by source length first, then stably by target length).
  const std::vector<size_t> sorted =
      sorted_by(sorted_by(order, [&](size_t i) { return corpus_.src.length(i); }),
                [&](size_t i) { return corpus_.tgt.length(i); });
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
