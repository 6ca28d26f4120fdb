// Translating many sentences: empty sources answered at once, the rest sorted by length into batches,
// searched batch by batch, and the results put back in the sources' order.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/batch_plan.h"
#include "translate/search.h"

namespace ferry {

// Nonempty sources that are searched together: where each stands among all the sources, and its sampling key.
struct SourceBatch {
  std::vector<size_t> indices;
  std::vector<TokenIds> sources;
  std::vector<uint64_t> keys;
};

// Sizes `results` to the sources and gives each empty source its one empty hypothesis of score 0; returns
// the other sources in batches as plan_batches cuts them, source i with sampling key first_key + i.
std::vector<SourceBatch> plan_source_batches(const std::vector<TokenIds>& sources, uint64_t first_key,
                                             const BatchLimits& limits, std::vector<NBest>& results);

class Translator {
 public:
  // The scorer must outlive the translator. InputError for inconsistent options.
  Translator(StepScorer& scorer, const SearchOptions& options, const BatchLimits& limits);

  // One n-best list per source, in the sources' order. Source i draws its samples with key first_key + i; an
  // empty source gets one empty hypothesis of score 0.
  std::vector<NBest> translate(const std::vector<TokenIds>& sources, uint64_t first_key = 0);
  // Searches one batch and moves its n-best lists to results[batch.indices[i]].
  void translate(const SourceBatch& batch, std::vector<NBest>& results);

  const BatchLimits& limits() const { return limits_; }

 private:
  StepScorer& scorer_;
  Search search_;
  BatchLimits limits_;
  std::vector<NBest> batch_results_;
};

}  // namespace ferry
