#include "translate/translator.h"

#include "util/error.h"

namespace ferry {

Translator::Translator(StepScorer& scorer, const SearchOptions& options, const BatchLimits& limits)
    : scorer_(scorer), search_(options), limits_(limits) {
  FERRY_CHECK(limits.sentences >= 1, InputError, "batch size must be at least 1, not " << limits.sentences);
  FERRY_CHECK(limits.tokens >= 0, InputError, "batch tokens must not be negative, not " << limits.tokens);
  FERRY_CHECK(!options.keep_attention || scorer.has_attention(), InputError,
              "alignments need attention weights, but the model has no attention");
}

std::vector<NBest> Translator::translate(const std::vector<TokenIds>& sources, uint64_t first_key) {
  std::vector<NBest> results(sources.size());
  std::vector<size_t> nonempty;
  std::vector<int64_t> lengths;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].empty()) {
      results[i].emplace_back();
    } else {
      nonempty.push_back(i);
      lengths.push_back(static_cast<int64_t>(sources[i].size()));
    }
  }
  for (const std::vector<size_t>& batch : plan_batches(lengths, limits_)) {
    batch_sources_.clear();
    batch_keys_.clear();
    for (size_t j : batch) {
      batch_sources_.push_back(sources[nonempty[j]]);
      batch_keys_.push_back(first_key + nonempty[j]);
    }
    search_.run(scorer_, batch_sources_, batch_keys_, batch_results_);
    for (size_t b = 0; b < batch.size(); ++b) results[nonempty[batch[b]]] = std::move(batch_results_[b]);
  }
  return results;
}

}  // namespace ferry
