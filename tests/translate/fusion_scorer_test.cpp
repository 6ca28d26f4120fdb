// Shallow fusion: each step's scores are the translation scorer's log-probabilities plus the weight times the
// language model's, both following the same rows through reorder_rows and keep_sentences; the language model
// sees no source; at weight 0 the translation scores come out unchanged.
#include "translate/fusion_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/table_scorer.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

constexpr int64_t kVocab = 9;

// Every row's fused scores against the two tables computed for the same prefixes.
void expect_fused(const Tensor& fused, const std::vector<TokenIds>& row_sources,
                  const std::vector<TokenIds>& row_prefixes, double weight) {
  const TableScorer::Table translation = random_table(1, kVocab), language_model = random_table(2, kVocab);
  ASSERT_EQ(fused.dim(0), static_cast<int64_t>(row_prefixes.size()));
  for (size_t r = 0; r < row_prefixes.size(); ++r) {
    const std::vector<float> t = translation(row_sources[r], row_prefixes[r]);
    const std::vector<float> l = language_model({}, row_prefixes[r]);
    for (int64_t v = 0; v < kVocab; ++v) {
      const float expected = weight == 0 ? t[v] : t[v] + static_cast<float>(weight) * l[v];
      const float got = fused.data()[static_cast<int64_t>(r) * kVocab + v];
      if (std::isinf(expected)) {
        EXPECT_EQ(got, expected);
      } else {
        EXPECT_FLOAT_EQ(got, expected) << "row " << r << ", token " << v;
      }
    }
  }
}

class FusionScorerTest : public ::testing::TestWithParam<double> {};

TEST_P(FusionScorerTest, AddsTheWeightedLanguageModelAlongTheSameRows) {
  const double weight = GetParam();
  TableScorer translation(kVocab, random_table(1, kVocab)), language_model(kVocab, random_table(2, kVocab));
  FusionScorer fusion(translation, language_model, weight);
  const std::vector<TokenIds> sources = {{4, 5}, {6}, {7, 8, 4}};
  fusion.begin(sources, 2);  // rows 0-1: sentence 0, 2-3: sentence 1, 4-5: sentence 2
  std::vector<TokenIds> row_sources, prefixes(6);
  for (const TokenIds& s : sources) row_sources.insert(row_sources.end(), {s, s});
  expect_fused(fusion.step({kBosId, kBosId, kBosId, kBosId, kBosId, kBosId}), row_sources, prefixes, weight);

  const std::vector<int> tokens = {4, 5, 6, 7, 8, 4};
  const Tensor& second = fusion.step(tokens);
  for (size_t r = 0; r < 6; ++r) prefixes[r].push_back(tokens[r]);
  expect_fused(second, row_sources, prefixes, weight);

  fusion.reorder_rows({1, 1, 2, 3, 5, 4});
  prefixes = {prefixes[1], prefixes[1], prefixes[2], prefixes[3], prefixes[5], prefixes[4]};
  fusion.keep_sentences({0, 2});
  prefixes = {prefixes[0], prefixes[1], prefixes[4], prefixes[5]};
  row_sources = {sources[0], sources[0], sources[2], sources[2]};
  const std::vector<int> next = {5, 6, 7, 8};
  const Tensor& third = fusion.step(next);
  for (size_t r = 0; r < 4; ++r) prefixes[r].push_back(next[r]);
  expect_fused(third, row_sources, prefixes, weight);
}

INSTANTIATE_TEST_SUITE_P(Weights, FusionScorerTest, ::testing::Values(0.0, 0.3, 1.0));

}  // namespace
}  // namespace ferry
