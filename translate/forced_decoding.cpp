#include "translate/forced_decoding.h"

#include "translate/kept_rows.h"
#include "util/error.h"

namespace ferry {
namespace {

// Scores one batch of pairs (indices into sources/targets) into `log_probs`.
void score_batch(StepScorer& scorer, const std::vector<TokenIds>& sources,
                 const std::vector<TokenIds>& targets, const std::vector<size_t>& batch,
                 std::vector<double>& log_probs) {
  std::vector<TokenIds> batch_sources;
  for (size_t i : batch) batch_sources.push_back(sources[i]);
  std::vector<size_t> active = batch;  // the pair of each row still scored
  std::vector<int> tokens(active.size(), kBosId);
  std::vector<int> kept;
  scorer.begin(batch_sources, 1);
  for (size_t step = 0; !active.empty(); ++step) {
    const Tensor& step_log_probs = scorer.step(tokens);
    const int64_t vocab = scorer.vocab();
    FERRY_CHECK(step_log_probs.rank() == 2 && step_log_probs.dim(0) == static_cast<int64_t>(active.size()) &&
                    step_log_probs.dim(1) == vocab,
                InternalError,
                "forced decoding: log-probabilities " << dims_text(step_log_probs.dims()) << " for "
                                                      << active.size() << " rows");
    kept.clear();
    for (size_t row = 0; row < active.size(); ++row) {
      const TokenIds& target = targets[active[row]];
      const int token = step < target.size() ? target[step] : kEosId;
      FERRY_CHECK(token >= 0 && token < vocab, InternalError,
                  "forced decoding: token " << token << " outside the vocabulary");
      log_probs[active[row]] += step_log_probs.data()[static_cast<int64_t>(row) * vocab + token];
      if (step < target.size()) {
        tokens[kept.size()] = token;
        kept.push_back(static_cast<int>(row));
      }
    }
    keep_rows(scorer, kept, active, tokens);
  }
}

}  // namespace

std::vector<double> force_decode(StepScorer& scorer, const std::vector<TokenIds>& sources,
                                 const std::vector<TokenIds>& targets, const BatchLimits& limits) {
  FERRY_CHECK(sources.size() == targets.size(), InternalError,
              "forced decoding: " << sources.size() << " sources but " << targets.size() << " targets");
  std::vector<int64_t> lengths;
  for (const TokenIds& source : sources) lengths.push_back(static_cast<int64_t>(source.size()));
  std::vector<double> log_probs(sources.size(), 0.0);
  for (const std::vector<size_t>& batch : plan_batches(lengths, limits))
    score_batch(scorer, sources, targets, batch, log_probs);
  return log_probs;
}

}  // namespace ferry
