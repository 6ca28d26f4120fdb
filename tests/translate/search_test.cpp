// Search driven by hand-built scorers whose best sequences are known or can be enumerated.
#include "translate/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "support/table_scorer.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr int kA = 4, kB = 5;
constexpr int64_t kVocab = 6;  // pad, unk, <s>, </s>, a, b

// Log-probabilities over the vocabulary from probabilities of </s>, a and b (everything else impossible).
std::vector<float> next(double eos, double a, double b) { return log_of({0, 0, 0, eos, a, b}); }

SearchOptions options(int64_t beam, LengthNormalization normalization = LengthNormalization::kNone) {
  SearchOptions o;
  o.beam_size = beam;
  o.normalization = normalization;
  o.length_penalty = 1.0;
  o.max_length_factor = 1.0;
  o.max_length_offset = 5;
  return o;
}

NBest search_one(StepScorer& scorer, const SearchOptions& o, const TokenIds& source = {kA},
                 uint64_t key = 0) {
  Search search(o);
  std::vector<NBest> results;
  search.run(scorer, {source}, {key}, results);
  EXPECT_EQ(results.size(), 1u);
  return results.front();
}

// A table of pseudo-random distributions over unk, </s>, a and b, fixed per (seed, source, prefix).
TableScorer::Table random_table(uint64_t seed) { return ferry::random_table(seed, kVocab); }

// The log-probability of `tokens` followed by </s> under a table, summed step by step.
double sequence_log_prob(const TableScorer::Table& table, const TokenIds& source, const TokenIds& tokens) {
  double sum = 0;
  TokenIds prefix;
  for (int t : tokens) {
    sum += table(source, prefix)[t];
    prefix.push_back(t);
  }
  return sum + table(source, prefix)[kEosId];
}

TEST(Search, BeamFindsTheSequenceGreedyMisses) {
  TableScorer scorer(kVocab, [](const TokenIds&, const TokenIds& prefix) {
    if (prefix.empty()) return next(0.0, 0.6, 0.4);
    if (prefix == TokenIds{kA}) return next(0.34, 0.33, 0.33);
    if (prefix == TokenIds{kB}) return next(0.9, 0.05, 0.05);
    return next(0.5, 0.25, 0.25);
  });
  const NBest greedy = search_one(scorer, options(1));
  ASSERT_EQ(greedy.size(), 1u);
  EXPECT_EQ(greedy[0].tokens, TokenIds{kA});
  EXPECT_NEAR(greedy[0].log_prob, std::log(0.6 * 0.34), 1e-5);
  const NBest beam = search_one(scorer, options(2));
  ASSERT_EQ(beam.size(), 1u);
  EXPECT_EQ(beam[0].tokens, TokenIds{kB});
  EXPECT_NEAR(beam[0].log_prob, std::log(0.4 * 0.9), 1e-5);
}

TEST(Search, BeamOfOneFollowsTheMostProbableTokenAtEveryStep) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const TableScorer::Table table = random_table(seed);
    TableScorer scorer(kVocab, table);
    const TokenIds source = {kA, kB, kA};
    const SearchOptions o = options(1);
    // The walk a greedy decoder makes, taken directly on the table.
    TokenIds walk;
    const int64_t limit = max_output_length(static_cast<int64_t>(source.size()), o);
    while (static_cast<int64_t>(walk.size()) < limit) {
      const std::vector<float> row = table(source, walk);
      const int best = static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
      if (best == kEosId) break;
      walk.push_back(best);
    }
    const NBest result = search_one(scorer, o, source);
    ASSERT_EQ(result.size(), 1u);
    EXPECT_EQ(result[0].tokens, walk) << "seed " << seed;
    EXPECT_NEAR(result[0].log_prob, sequence_log_prob(table, source, walk), 1e-4) << "seed " << seed;
  }
}

class ExhaustiveSearch : public ::testing::TestWithParam<LengthNormalization> {};

// With a beam wider than the number of hypotheses, search is exhaustive: its n-best list is the top of the
// enumeration of every sequence up to the length limit.
TEST_P(ExhaustiveSearch, WideBeamReturnsTheBestOfAllSequences) {
  const TableScorer::Table table = random_table(7);
  const TokenIds source = {kA};
  SearchOptions o = options(40, GetParam());
  o.max_length_offset = 2;  // at most 3 tokens: 1 + 3 + 9 + 27 = 40 hypotheses
  o.n_best = 10;
  std::vector<std::pair<double, TokenIds>> all;
  std::vector<TokenIds> frontier = {{}};
  for (int length = 0; length <= 3; ++length) {
    std::vector<TokenIds> longer;
    for (const TokenIds& tokens : frontier) {
      const double log_prob = sequence_log_prob(table, source, tokens);
      all.emplace_back(normalized_score(log_prob, length + 1, o), tokens);
      for (int t : {kUnkId, kA, kB}) {
        longer.push_back(tokens);
        longer.back().push_back(t);
      }
    }
    frontier = std::move(longer);
  }
  ASSERT_EQ(all.size(), 40u);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  TableScorer scorer(kVocab, table);
  const NBest result = search_one(scorer, o, source);
  ASSERT_EQ(result.size(), 10u);
  for (size_t i = 0; i < result.size(); ++i) {
    EXPECT_EQ(result[i].tokens, all[i].second) << "rank " << i;
    EXPECT_NEAR(result[i].score, all[i].first, 1e-4) << "rank " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Normalizations, ExhaustiveSearch,
                         ::testing::Values(LengthNormalization::kNone, LengthNormalization::kLength,
                                           LengthNormalization::kGnmt),
                         [](const ::testing::TestParamInfo<LengthNormalization>& info) {
                           return info.param == LengthNormalization::kNone     ? "none"
                                  : info.param == LengthNormalization::kLength ? "length"
                                                                               : "gnmt";
                         });

TEST(Search, LengthNormalizationDecidesBetweenShortAndLong) {
  // "" has probability .5; "a a a" .5 * .9 * .9 * .95, lower, but over four tokens instead of one.
  const TableScorer::Table table = [](const TokenIds&, const TokenIds& prefix) {
    if (prefix.size() < 3) return prefix.empty() ? next(0.5, 0.5, 0.0) : next(0.1, 0.9, 0.0);
    return next(0.95, 0.05, 0.0);
  };
  const TokenIds longer = {kA, kA, kA};
  const struct {
    LengthNormalization normalization;
    double alpha;
    TokenIds best;
  } cases[] = {{LengthNormalization::kNone, 1.0, {}},
               {LengthNormalization::kLength, 1.0, longer},
               {LengthNormalization::kGnmt, 1.0, longer},
               {LengthNormalization::kGnmt, 0.0, {}}};
  for (const auto& c : cases) {
    TableScorer scorer(kVocab, table);
    SearchOptions o = options(4, c.normalization);
    o.length_penalty = c.alpha;
    const NBest result = search_one(scorer, o);
    ASSERT_FALSE(result.empty());
    EXPECT_EQ(result[0].tokens, c.best)
        << "normalization " << static_cast<int>(c.normalization) << " alpha " << c.alpha;
    const double expected_log_prob = c.best.empty() ? std::log(0.5) : std::log(0.5 * 0.9 * 0.9 * 0.95);
    EXPECT_NEAR(result[0].log_prob, expected_log_prob, 1e-5);
    const double length = static_cast<double>(c.best.size() + 1);
    const double expected_score = c.normalization == LengthNormalization::kNone ? expected_log_prob
                                  : c.normalization == LengthNormalization::kLength
                                      ? expected_log_prob / length
                                      : expected_log_prob / std::pow((5 + length) / 6, c.alpha);
    EXPECT_NEAR(result[0].score, expected_score, 1e-5);
  }
}

TEST(Search, OutputStopsAtTheMaximumLengthWithAForcedEnd) {
  // </s> so unlikely that it never ranks among the best three extensions: every hypothesis runs to the limit.
  const TableScorer::Table table = [](const TokenIds&, const TokenIds& prefix) {
    return prefix.size() % 2 ? log_of({0, 0.1, 0, 1e-6, 0.6, 0.3 - 1e-6})
                             : log_of({0, 0.1, 0, 1e-6, 0.2, 0.7 - 1e-6});
  };
  TableScorer scorer(kVocab, table);
  SearchOptions o = options(3);
  o.max_length_factor = 2.0;
  o.max_length_offset = 1;
  o.n_best = 3;
  const TokenIds source = {kA, kB, kA};
  const NBest result = search_one(scorer, o, source);
  ASSERT_EQ(result.size(), 3u);
  for (const Hypothesis& h : result) {
    EXPECT_EQ(h.tokens.size(), 7u);  // 2 x 3 + 1
    EXPECT_NEAR(h.log_prob, sequence_log_prob(table, source, h.tokens), 1e-3);
  }
  EXPECT_EQ(result[0].tokens, (TokenIds{kB, kA, kB, kA, kB, kA, kB}));
}

TEST(Search, NBestListIsSortedDistinctAndScoredByTheTable) {
  const TableScorer::Table table = random_table(3);
  TableScorer scorer(kVocab, table);
  SearchOptions o = options(5, LengthNormalization::kGnmt);
  o.n_best = 5;
  const TokenIds source = {kA, kA, kB, kB};
  const NBest result = search_one(scorer, o, source);
  ASSERT_EQ(result.size(), 5u);
  std::set<TokenIds> distinct;
  for (size_t i = 0; i < result.size(); ++i) {
    const Hypothesis& h = result[i];
    if (i > 0) {
      EXPECT_GE(result[i - 1].score, h.score) << "rank " << i;
    }
    distinct.insert(h.tokens);
    EXPECT_NEAR(h.log_prob, sequence_log_prob(table, source, h.tokens), 1e-4);
    EXPECT_DOUBLE_EQ(h.score, normalized_score(h.log_prob, static_cast<int64_t>(h.tokens.size()) + 1, o));
  }
  EXPECT_EQ(distinct.size(), 5u);
}

TEST(Search, NeverEmitsPaddingOrStartTokens) {
  TableScorer scorer(kVocab, [](const TokenIds&, const TokenIds& prefix) {
    return log_of({0.4, 0.0, 0.4, prefix.size() > 2 ? 0.15 : 0.05, 0.1, prefix.size() > 2 ? 0.05 : 0.15});
  });
  SearchOptions o = options(3);
  o.n_best = 3;
  for (const Hypothesis& h : search_one(scorer, o)) {
    for (int t : h.tokens) EXPECT_TRUE(t == kA || t == kB) << "token " << t;
  }
  for (int t : scorer.fed_tokens()) EXPECT_NE(t, kPadId);
}

TEST(Search, FinishedSentencesLeaveTheBatch) {
  // A sentence ends as soon as its prefix is as long as its source.
  TableScorer scorer(kVocab, [](const TokenIds& source, const TokenIds& prefix) {
    return prefix.size() >= source.size() ? next(0.99, 0.005, 0.005) : next(0.01, 0.5, 0.49);
  });
  Search search(options(2));
  std::vector<NBest> results;
  search.run(scorer, {{kA, kA, kA, kA}, {kA}, {kB, kB}}, {0, 1, 2}, results);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0][0].tokens.size(), 4u);
  EXPECT_EQ(results[1][0].tokens.size(), 1u);
  EXPECT_EQ(results[2][0].tokens.size(), 2u);
  // The first step scores one row per sentence (its beam rows start alike), then two rows per sentence.
  const std::vector<int64_t>& rows = scorer.rows_per_step();
  EXPECT_EQ(rows, (std::vector<int64_t>{3, 6, 4, 2, 2}));
}

TEST(Search, SentencesAreSearchedAloneAsInABatch) {
  const TableScorer::Table table = random_table(11);
  SearchOptions o = options(4, LengthNormalization::kGnmt);
  o.n_best = 3;
  const std::vector<TokenIds> sources = {{kA}, {kB, kB, kA}, {kA, kB}, {kB}, {kA, kA, kA, kA, kB}};
  TableScorer batch_scorer(kVocab, table);
  Search search(o);
  std::vector<NBest> together;
  search.run(batch_scorer, sources, {0, 1, 2, 3, 4}, together);
  ASSERT_EQ(together.size(), sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    TableScorer alone_scorer(kVocab, table);
    const NBest alone = search_one(alone_scorer, o, sources[i]);
    ASSERT_EQ(alone.size(), together[i].size()) << "sentence " << i;
    for (size_t n = 0; n < alone.size(); ++n) {
      EXPECT_EQ(alone[n].tokens, together[i][n].tokens) << "sentence " << i << " rank " << n;
      EXPECT_EQ(alone[n].score, together[i][n].score) << "sentence " << i << " rank " << n;
    }
  }
}

TEST(Search, KeptAttentionHasOneRowPerTokenAndTheSourceColumns) {
  TableScorer scorer(kVocab, random_table(5));
  SearchOptions o = options(3);
  o.keep_attention = true;
  Search search(o);
  std::vector<NBest> results;
  const std::vector<TokenIds> sources = {{kA, kB}, {kA, kB, kA, kB, kA}};
  search.run(scorer, sources, {0, 1}, results);
  for (size_t s = 0; s < sources.size(); ++s) {
    const Hypothesis& h = results[s].at(0);
    const size_t columns = sources[s].size() + 1, rows = h.tokens.size() + 1;
    ASSERT_EQ(h.attention.size(), rows * columns) << "sentence " << s;
    for (size_t t = 0; t < rows; ++t)
      for (size_t i = 0; i < columns; ++i)
        EXPECT_EQ(h.attention[t * columns + i], i == t % columns ? 1.0f : 0.0f)
            << "row " << t << " column " << i;
  }
}

SearchOptions sampling(int64_t samples, double temperature, int64_t top_k, uint64_t seed) {
  SearchOptions o = options(1);
  o.n_best = samples;
  o.sampling.enabled = true;
  o.sampling.temperature = temperature;
  o.sampling.top_k = top_k;
  o.sampling.seed = seed;
  return o;
}

TEST(Sampling, TopOneIsGreedy) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    TableScorer greedy_scorer(kVocab, random_table(seed)), sample_scorer(kVocab, random_table(seed));
    const NBest greedy = search_one(greedy_scorer, options(1), {kA, kB});
    const NBest sampled = search_one(sample_scorer, sampling(1, 1.0, 1, 99), {kA, kB});
    ASSERT_EQ(sampled.size(), 1u);
    EXPECT_EQ(sampled[0].tokens, greedy[0].tokens) << "seed " << seed;
    EXPECT_DOUBLE_EQ(sampled[0].log_prob, greedy[0].log_prob);
  }
}

TEST(Sampling, DrawsFollowTheTemperedDistribution) {
  const TableScorer::Table table = [](const TokenIds&, const TokenIds& prefix) {
    return prefix.empty() ? next(0.0, 0.7, 0.3) : next(1.0, 0.0, 0.0);
  };
  const std::vector<TokenIds> sources(4000, TokenIds{kA});
  std::vector<uint64_t> keys(sources.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = i;
  for (const double temperature : {1.0, 0.5}) {
    TableScorer scorer(kVocab, table);
    Search search(sampling(1, temperature, 0, 5));
    std::vector<NBest> results;
    search.run(scorer, sources, keys, results);
    double a = 0;
    for (const NBest& r : results) a += r.at(0).tokens == TokenIds{kA};
    const double expected =
        std::pow(0.7, 1 / temperature) / (std::pow(0.7, 1 / temperature) + std::pow(0.3, 1 / temperature));
    EXPECT_NEAR(a / static_cast<double>(sources.size()), expected, 0.03) << "temperature " << temperature;
  }
}

TEST(Sampling, SamplesDependOnSeedAndKeyOnly) {
  const std::vector<TokenIds> sources = {{kA}, {kB, kA}, {kA, kA, kB}, {kB}};
  const auto run = [&](const std::vector<TokenIds>& batch, const std::vector<uint64_t>& keys, uint64_t seed) {
    TableScorer scorer(kVocab, random_table(2));
    Search search(sampling(3, 1.0, 0, seed));
    std::vector<NBest> results;
    search.run(scorer, batch, keys, results);
    return results;
  };
  const std::vector<NBest> batch = run(sources, {10, 11, 12, 13}, 7);
  const std::vector<NBest> again = run(sources, {10, 11, 12, 13}, 7);
  const std::vector<NBest> other_seed = run(sources, {10, 11, 12, 13}, 8);
  bool any_differs = false;
  for (size_t i = 0; i < sources.size(); ++i) {
    const NBest alone = run({sources[i]}, {10 + i}, 7).at(0);
    ASSERT_EQ(batch[i].size(), 3u);
    ASSERT_EQ(alone.size(), 3u);
    for (size_t n = 0; n < 3; ++n) {
      EXPECT_EQ(batch[i][n].tokens, again[i][n].tokens);
      EXPECT_EQ(batch[i][n].tokens, alone[n].tokens) << "sentence " << i << " sample " << n;
      any_differs = any_differs || batch[i][n].tokens != other_seed[i][n].tokens;
    }
  }
  EXPECT_TRUE(any_differs);
}

TEST(Search, RejectsInconsistentOptions) {
  SearchOptions o = options(2);
  o.n_best = 3;
  EXPECT_THROW(Search search(o), InputError);
  // The decoding section's bounds are the reader's (tests/translate/decode_options_test.cpp); past them is a
  // caller's bug.
  o = options(0);
  EXPECT_THROW(Search search(o), InternalError);
  o = sampling(1, 0.0, 0, 1);
  EXPECT_THROW(Search search(o), InputError);
}

}  // namespace
}  // namespace ferry
