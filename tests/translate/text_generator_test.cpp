// generate_texts over a hand-built next-token table: the first tokens drawn follow the table's distribution
// (chi-square over 4,000 samples), reshaped by temperature and cut by top-k and top-p as documented; the same
// seed gives the same texts whatever the batch size; the prefix is fed, not drawn; max_length ends a text.
#include "translate/text_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "support/table_scorer.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

constexpr int64_t kVocab = 6;  // pad, unk, <s>, </s>, 4, 5
// The first token's distribution; after it, </s> for certain.
const std::vector<double> kFirst = {0.0, 0.1, 0.0, 0.2, 0.4, 0.3};

TableScorer first_token_table() {
  return TableScorer(kVocab, [](const TokenIds&, const TokenIds& prefix) {
    if (prefix.empty()) return log_of(kFirst);
    return log_of({0.0, 0.0, 0.0, 1.0, 0.0, 0.0});
  });
}

// How often each token came first (</s>: an empty text).
std::map<int, int64_t> first_tokens(const std::vector<TokenIds>& texts) {
  std::map<int, int64_t> counts;
  for (const TokenIds& text : texts) ++counts[text.empty() ? kEosId : text.front()];
  return counts;
}

// Pearson's statistic of `counts` against `probabilities` (tokens of probability 0 must not occur).
double chi_square(const std::map<int, int64_t>& counts, const std::vector<double>& probabilities, int64_t n) {
  double statistic = 0;
  for (size_t token = 0; token < probabilities.size(); ++token) {
    const auto it = counts.find(static_cast<int>(token));
    const double observed = it == counts.end() ? 0.0 : static_cast<double>(it->second);
    if (probabilities[token] == 0.0) {
      EXPECT_EQ(observed, 0.0) << "token " << token << " has probability 0";
      continue;
    }
    const double expected = probabilities[token] * static_cast<double>(n);
    statistic += (observed - expected) * (observed - expected) / expected;
  }
  return statistic;
}

std::vector<double> normalised(std::vector<double> p) {
  double total = 0;
  for (double v : p) total += v;
  for (double& v : p) v /= total;
  return p;
}

GenerationOptions draws(int64_t samples) {
  GenerationOptions o;
  o.samples = samples;
  o.max_length = 3;
  o.batch_size = 64;
  return o;
}

// With 3 degrees of freedom, a statistic above 16.27 has probability 0.001 under the expected distribution.
constexpr double kChiSquare3 = 16.27;

TEST(TextGenerator, FirstTokensFollowTheDistribution) {
  TableScorer table = first_token_table();
  const int64_t n = 4000;
  const auto texts = generate_texts(table, {}, draws(n));
  ASSERT_EQ(texts.size(), static_cast<size_t>(n));
  EXPECT_LT(chi_square(first_tokens(texts), kFirst, n), kChiSquare3);
}

TEST(TextGenerator, TemperatureReshapesTheDistribution) {
  TableScorer table = first_token_table();
  GenerationOptions o = draws(4000);
  o.sampling.temperature = 0.5;  // p^2, renormalised
  std::vector<double> squared;
  for (double p : kFirst) squared.push_back(p * p);
  EXPECT_LT(chi_square(first_tokens(generate_texts(table, {}, o)), normalised(squared), o.samples),
            kChiSquare3);
  // And the untouched distribution is rejected: the test can tell them apart.
  TableScorer again = first_token_table();
  EXPECT_GT(chi_square(first_tokens(generate_texts(again, {}, o)), kFirst, o.samples), kChiSquare3);
}

TEST(TextGenerator, TopKAndTopPCutTheDistribution) {
  GenerationOptions k2 = draws(4000);
  k2.sampling.top_k = 2;  // 4 and 5, in proportion 4 : 3
  TableScorer table = first_token_table();
  EXPECT_LT(
      chi_square(first_tokens(generate_texts(table, {}, k2)), {0, 0, 0, 0, 4.0 / 7, 3.0 / 7}, k2.samples),
      kChiSquare3);
  GenerationOptions p65 = draws(4000);
  p65.sampling.top_p = 0.65;  // 0.4 < 0.65 <= 0.4 + 0.3: the same two tokens
  TableScorer again = first_token_table();
  EXPECT_LT(
      chi_square(first_tokens(generate_texts(again, {}, p65)), {0, 0, 0, 0, 4.0 / 7, 3.0 / 7}, p65.samples),
      kChiSquare3);
  GenerationOptions p75 = draws(4000);
  p75.sampling.top_p = 0.75;  // and </s> (0.2) too
  TableScorer third = first_token_table();
  EXPECT_LT(chi_square(first_tokens(generate_texts(third, {}, p75)), {0, 0, 0, 2.0 / 9, 4.0 / 9, 3.0 / 9},
                       p75.samples),
            kChiSquare3);
}

TEST(TextGenerator, TheSeedAloneFixesTheTexts) {
  const auto run = [](int64_t batch_size, uint64_t seed) {
    TableScorer table(8, random_table(5, 8));
    GenerationOptions o;
    o.samples = 23;
    o.max_length = 12;
    o.batch_size = batch_size;
    o.sampling.seed = seed;
    return generate_texts(table, {4}, o);
  };
  const auto one = run(1, 7);
  EXPECT_EQ(run(7, 7), one);
  EXPECT_EQ(run(64, 7), one);
  EXPECT_NE(run(7, 8), one);
}

TEST(TextGenerator, ThePrefixIsFedAndMaxLengthEndsTexts) {
  // Never </s>: every text runs to max_length.
  TableScorer table(kVocab, [](const TokenIds&, const TokenIds&) { return log_of({0, 0, 0, 0, 0.5, 0.5}); });
  GenerationOptions o = draws(5);
  o.max_length = 4;
  const auto texts = generate_texts(table, {5, 4}, o);
  for (const TokenIds& text : texts) EXPECT_EQ(text.size(), 4u);
  const std::vector<int>& fed = table.fed_tokens();
  ASSERT_GE(fed.size(), 15u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(fed[i], kBosId);
    EXPECT_EQ(fed[5 + i], 5);
    EXPECT_EQ(fed[10 + i], 4);
  }
}

}  // namespace
}  // namespace ferry
