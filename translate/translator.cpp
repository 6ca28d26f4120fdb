#include "translate/translator.h"

#include "util/error.h"

namespace ferry {

std::vector<SourceBatch> plan_source_batches(const std::vector<TokenIds>& sources, uint64_t first_key,
                                             const BatchLimits& limits, std::vector<NBest>& results) {
  results.assign(sources.size(), NBest());
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
  std::vector<SourceBatch> batches;
  for (const std::vector<size_t>& planned : plan_batches(lengths, limits)) {
    SourceBatch& batch = batches.emplace_back();
    for (size_t j : planned) {
      batch.indices.push_back(nonempty[j]);
      batch.sources.push_back(sources[nonempty[j]]);
      batch.keys.push_back(first_key + nonempty[j]);
    }
  }
  return batches;
}

Translator::Translator(StepScorer& scorer, const SearchOptions& options, const BatchLimits& limits)
    : scorer_(scorer), search_(options), limits_(limits) {
  FERRY_CHECK(limits.sentences >= 1, InputError, "batch size must be at least 1, not " << limits.sentences);
  FERRY_CHECK(limits.tokens >= 0, InputError, "batch tokens must not be negative, not " << limits.tokens);
  FERRY_CHECK(!options.keep_attention || scorer.has_attention(), InputError,
              "alignments need attention weights, but the model has no attention");
}

std::vector<NBest> Translator::translate(const std::vector<TokenIds>& sources, uint64_t first_key) {
  std::vector<NBest> results;
  for (const SourceBatch& batch : plan_source_batches(sources, first_key, limits_, results))
    translate(batch, results);
  return results;
}

void Translator::translate(const SourceBatch& batch, std::vector<NBest>& results) {
  search_.run(scorer_, batch.sources, batch.keys, batch_results_);
  for (size_t b = 0; b < batch.indices.size(); ++b) results[batch.indices[b]] = std::move(batch_results_[b]);
}

}  // namespace ferry
