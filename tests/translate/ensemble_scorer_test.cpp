// Ensembles: the step function against a naive mean of the members' distributions, a whole search over an
// ensemble against a search over that mean, and an ensemble of a trained model with itself against the model.
#include "translate/ensemble_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "model/model_file.h"
#include "support/corpus.h"
#include "support/table_scorer.h"
#include "support/thread_count.h"
#include "support/tiny_model.h"
#include "translate/forced_decoding.h"
#include "translate/model_scorer.h"
#include "translate/translator.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr int64_t kVocab = 7;  // pad, unk, <s>, </s> and three words

TableScorer::Table random_table(uint64_t seed) { return ferry::random_table(seed, kVocab); }

// The normalised mean of the tables' log-distributions, computed in double.
TableScorer::Table mean_table(const std::vector<TableScorer::Table>& tables) {
  return [tables](const TokenIds& source, const TokenIds& prefix) {
    std::vector<double> mean(kVocab, 0.0);
    for (const auto& table : tables) {
      const std::vector<float> row = table(source, prefix);
      for (int64_t v = 0; v < kVocab; ++v) mean[v] += row[v] / static_cast<double>(tables.size());
    }
    double total = 0;
    for (double x : mean) total += std::exp(x);
    std::vector<float> out(kVocab);
    for (int64_t v = 0; v < kVocab; ++v) out[v] = static_cast<float>(mean[v] - std::log(total));
    return out;
  };
}

TEST(EnsembleScorer, StepIsTheNormalisedMeanOfTheMembers) {
  const std::vector<TableScorer::Table> tables = {random_table(1), random_table(2), random_table(3)};
  TableScorer a(kVocab, tables[0]), b(kVocab, tables[1]), c(kVocab, tables[2]);
  EnsembleScorer ensemble({&a, &b, &c});
  const std::vector<TokenIds> sources = {{4, 5}, {6}};
  ensemble.begin(sources, 2);
  const Tensor& first = ensemble.step({kBosId, kBosId, kBosId, kBosId});
  const auto expected = mean_table(tables);
  for (int64_t row = 0; row < 4; ++row) {
    const std::vector<float> want = expected(sources[static_cast<size_t>(row / 2)], {});
    for (int64_t v = 0; v < kVocab; ++v) {
      if (std::isinf(want[v])) {
        EXPECT_TRUE(std::isinf(first.data()[row * kVocab + v]) && first.data()[row * kVocab + v] < 0);
      } else {
        EXPECT_NEAR(first.data()[row * kVocab + v], want[v], 1e-5) << "row " << row << " token " << v;
      }
    }
  }
  // Each member put all weight on source position 0 (prefix length 0): so does the mean.
  EXPECT_EQ(ensemble.attention().data()[0], 1.0f);
}

TEST(EnsembleScorer, SearchOverTheEnsembleIsSearchOverTheMeanDistribution) {
  const std::vector<TableScorer::Table> tables = {random_table(11), random_table(12)};
  TableScorer a(kVocab, tables[0]), b(kVocab, tables[1]), mean(kVocab, mean_table(tables));
  EnsembleScorer ensemble({&a, &b});
  SearchOptions o;
  o.beam_size = 3;
  o.n_best = 3;
  o.max_length_factor = 1.0;
  o.max_length_offset = 4;
  o.keep_attention = true;
  const std::vector<TokenIds> sources = {{4}, {5, 6, 4}, {6, 6}, {}, {5, 4, 4, 6, 5}};
  Translator over_ensemble(ensemble, o, BatchLimits{2, 0}), over_mean(mean, o, BatchLimits{2, 0});
  const std::vector<NBest> got = over_ensemble.translate(sources), want = over_mean.translate(sources);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size()) << "sentence " << i;
    for (size_t k = 0; k < got[i].size(); ++k) {
      EXPECT_EQ(got[i][k].tokens, want[i][k].tokens) << "sentence " << i << " hypothesis " << k;
      EXPECT_NEAR(got[i][k].log_prob, want[i][k].log_prob, 1e-4) << "sentence " << i << " hypothesis " << k;
      EXPECT_EQ(got[i][k].attention, want[i][k].attention) << "sentence " << i << " hypothesis " << k;
    }
  }
}

TEST(EnsembleScorer, RefusesMembersOfOtherVocabularySizes) {
  TableScorer a(kVocab, random_table(1)), b(kVocab + 1, random_table(2));
  EXPECT_THROW(EnsembleScorer({&a, &b}), InternalError);
  EXPECT_THROW(EnsembleScorer({}), InternalError);
}

// A trained network twice over is the network: the same translations, scores and forced-decoding scores.
TEST(EnsembleScorer, ATrainedModelWithItselfTranslatesAsTheModelAlone) {
  ScopedThreadCount threads(1);
  TempDir dir;
  const std::string path = train_tiny_model(dir);
  LoadedModel first = load_model(path), second = load_model(path);
  ModelScorer alone(*first.network), member(*first.network), twin(*second.network);
  EnsembleScorer ensemble({&member, &twin});
  std::vector<TokenIds> sources;
  for (const std::string& line : multi30k_lines("test_2016_flickr.de.gz", 20))
    sources.push_back(first.src_vocab.encode(line));
  SearchOptions o;
  o.beam_size = 4;
  o.n_best = 2;
  o.max_length_factor = 1.0;
  o.max_length_offset = 5;
  const std::vector<NBest> want = Translator(alone, o, BatchLimits{8, 0}).translate(sources);
  const std::vector<NBest> got = Translator(ensemble, o, BatchLimits{8, 0}).translate(sources);
  std::vector<TokenIds> targets;
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t k = 0; k < want[i].size(); ++k) {
      EXPECT_EQ(got[i][k].tokens, want[i][k].tokens) << "sentence " << i << " hypothesis " << k;
      EXPECT_NEAR(got[i][k].log_prob, want[i][k].log_prob, 1e-3) << "sentence " << i << " hypothesis " << k;
    }
    targets.push_back(want[i][0].tokens);
  }
  const std::vector<double> forced_alone = force_decode(alone, sources, targets, BatchLimits{8, 0});
  const std::vector<double> forced_ensemble = force_decode(ensemble, sources, targets, BatchLimits{8, 0});
  for (size_t i = 0; i < sources.size(); ++i) EXPECT_NEAR(forced_ensemble[i], forced_alone[i], 1e-3) << i;
}

}  // namespace
}  // namespace ferry
