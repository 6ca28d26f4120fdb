#include "translate/forced_decoding.h"

#include <gtest/gtest.h>

#include "support/table_scorer.h"
#include "util/rng.h"

namespace ferry {
namespace {

constexpr int64_t kVocab = 7;

// Log-probabilities depending on the source's length and the prefix, over every token but pad and <s>.
std::vector<float> table(const TokenIds& source, const TokenIds& prefix) {
  Rng rng(source.size() * 31 + prefix.size(), prefix.empty() ? 0 : static_cast<uint64_t>(prefix.back()));
  std::vector<double> p(kVocab, 0.0);
  double total = 0;
  for (int t = kUnkId; t < kVocab; ++t)
    if (t != kBosId) total += p[t] = 0.1 + rng.uniform();
  for (double& x : p) x /= total;
  return log_of(p);
}

TEST(ForcedDecoding, SumsTheLogProbabilitiesOfEveryTargetTokenAndTheEnd) {
  const std::vector<TokenIds> sources = {{4}, {5, 6, 4}, {}, {6, 6}, {4, 5, 6, 4, 5}};
  const std::vector<TokenIds> targets = {{4, 5, 6}, {}, {6}, {5, 5, 5, 5, 5, 4}, {1, 4}};
  for (const BatchLimits limits : {BatchLimits{1, 0}, BatchLimits{2, 0}, BatchLimits{64, 0}}) {
    TableScorer scorer(kVocab, table);
    const std::vector<double> scores = force_decode(scorer, sources, targets, limits);
    ASSERT_EQ(scores.size(), sources.size());
    for (size_t i = 0; i < sources.size(); ++i) {
      double expected = 0;
      TokenIds prefix;
      for (int t : targets[i]) {
        expected += table(sources[i], prefix)[t];
        prefix.push_back(t);
      }
      expected += table(sources[i], prefix)[kEosId];
      EXPECT_NEAR(scores[i], expected, 1e-5) << "pair " << i << ", batch size " << limits.sentences;
    }
  }
}

TEST(ForcedDecoding, PairsLeaveTheBatchWhenTheirEndIsScored) {
  TableScorer scorer(kVocab, table);
  force_decode(scorer, {{4}, {4}, {4}}, {{}, {5, 5, 5}, {5}}, BatchLimits{8, 0});
  EXPECT_EQ(scorer.rows_per_step(), (std::vector<int64_t>{3, 2, 1, 1}));
}

}  // namespace
}  // namespace ferry
