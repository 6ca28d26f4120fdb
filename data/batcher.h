// Groups a corpus into batches under a target-token budget, bucketed by length so that padding stays small,
// in an order shuffled by the run's seed. Every pair is used exactly once per epoch; an epoch's plan depends
// only on (seed, epoch), so a run can resume at any (epoch, batch) position.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace ferry {

using BatchPlan = std::vector<std::vector<size_t>>;  // batches of corpus pair indices

class Batcher {
 public:
  // `batch_tokens`: most padded target cells (sentences x longest target, </s> included) per batch; a pair
  // longer than that forms a batch of its own. The corpus must outlive the batcher.
  Batcher(const EncodedCorpus& corpus, int64_t batch_tokens, uint64_t seed);

  // The batches of `epoch` (1-based), in training order.
  BatchPlan plan(int64_t epoch) const;
  // Batches in sorted length order without shuffling, for validation and translation.
  BatchPlan sorted_plan() const;

 private:
  BatchPlan cut(const std::vector<size_t>& order) const;

  const EncodedCorpus& corpus_;
  int64_t batch_tokens_;
  uint64_t seed_;
};

}  // namespace ferry
