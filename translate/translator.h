// Translating many sentences: empty sources answered at once, the rest sorted by length into batches,
// searched batch by batch, and the results put back in the sources' order.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/batch_plan.h"
#include "translate/search.h"

namespace ferry {

class Translator {
 public:
  // The scorer must outlive the translator. InputError for inconsistent options.
  Translator(StepScorer& scorer, const SearchOptions& options, const BatchLimits& limits);

  // One n-best list per source, in the sources' order. Source i draws its samples with key first_key + i; an
  // empty source gets one empty hypothesis of score 0.
  std::vector<NBest> translate(const std::vector<TokenIds>& sources, uint64_t first_key = 0);

 private:
  StepScorer& scorer_;
  Search search_;
  BatchLimits limits_;
  std::vector<TokenIds> batch_sources_;
  std::vector<uint64_t> batch_keys_;
  std::vector<NBest> batch_results_;
};

}  // namespace ferry
