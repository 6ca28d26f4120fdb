// Search over a trained network: the invariants that must hold whatever the model's quality.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "core/context.h"
#include "data/batch.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/thread_count.h"
#include "support/tiny_model.h"
#include "translate/forced_decoding.h"
#include "translate/model_scorer.h"
#include "translate/translate_ids.h"
#include "translate/translator.h"
#include "util/rng.h"

namespace ferry {
namespace {

class ModelSearch : public ::testing::Test {
 protected:
  // One thread: tests run side by side, and OpenMP teams on oversubscribed cores wait for each other (the
  // threaded step path is checked in core/rnn_in_place_test.cpp and by the translate program tests).
  static void SetUpTestSuite() {
    threads_ = std::make_unique<ScopedThreadCount>(1);
    dir_ = std::make_unique<TempDir>();
    const std::string path = train_tiny_model(*dir_);
    model_ = std::make_unique<LoadedModel>(load_model(path));
    if (Context::has_int8_dot_products())
      int8_model_ = std::make_unique<LoadedModel>(load_model(path, Precision::kInt8));
  }
  static void TearDownTestSuite() {
    int8_model_.reset();
    model_.reset();
    dir_.reset();
    threads_.reset();
  }

  // The first `count` test sentences as source ids.
  static std::vector<TokenIds> sources(size_t count) {
    std::vector<TokenIds> ids;
    for (const std::string& line : multi30k_lines("test_2016_flickr.de.gz", count))
      ids.push_back(model_->src_vocab.encode(line));
    return ids;
  }

  // Outputs of at most the source's length + 5 tokens keep the tests short even where the small model
  // repeats itself.
  static SearchOptions short_outputs(int64_t beam) {
    SearchOptions o;
    o.beam_size = beam;
    o.max_length_factor = 1.0;
    o.max_length_offset = 5;
    return o;
  }

  static SearchOptions raw_scores(int64_t beam) {
    SearchOptions o = short_outputs(beam);
    o.normalization = LengthNormalization::kNone;
    return o;
  }

  static std::vector<NBest> translate(const std::vector<TokenIds>& src, const SearchOptions& o, int64_t batch,
                                      LoadedModel& model = *model_) {
    ModelScorer scorer(*model.network);
    Translator translator(scorer, o, BatchLimits{batch, 0});
    return translator.translate(src);
  }

  // Each sentence's n-best list is the same alone, in batches of 7 and 64 and in shuffled order.
  static void expect_batch_invariance(LoadedModel& model);

  static std::unique_ptr<ScopedThreadCount> threads_;
  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<LoadedModel> model_;
  static std::unique_ptr<LoadedModel> int8_model_;  // the same model file run with precision int8
};

std::unique_ptr<ScopedThreadCount> ModelSearch::threads_;
std::unique_ptr<TempDir> ModelSearch::dir_;
std::unique_ptr<LoadedModel> ModelSearch::model_;
std::unique_ptr<LoadedModel> ModelSearch::int8_model_;

TEST_F(ModelSearch, BeamOfOneEqualsAnArgmaxWalkOverTheDecoderSteps) {
  const std::vector<TokenIds> src = sources(24);
  const SearchOptions o = raw_scores(1);
  // Reference greedy decoding: every sentence stays in the batch to the end, fed </s> once finished.
  ModelScorer scorer(*model_->network);
  scorer.begin(src, 1);
  std::vector<TokenIds> walks(src.size());
  std::vector<bool> ended(src.size(), false);
  std::vector<int> tokens(src.size(), kBosId);
  for (int64_t step = 0; std::count(ended.begin(), ended.end(), false) > 0; ++step) {
    const Tensor& log_probs = scorer.step(tokens);
    for (size_t b = 0; b < src.size(); ++b) {
      if (ended[b]) continue;
      const float* row = log_probs.data() + b * scorer.vocab();
      int best = kEosId;
      for (int v = 0; v < scorer.vocab(); ++v)
        if (v != kPadId && v != kBosId && row[v] > row[best]) best = v;
      if (step >= max_output_length(static_cast<int64_t>(src[b].size()), o)) best = kEosId;
      if (best == kEosId) {
        ended[b] = true;
      } else {
        walks[b].push_back(best);
      }
      tokens[b] = best;
    }
  }
  const std::vector<NBest> searched = translate(src, o, 8);
  for (size_t b = 0; b < src.size(); ++b) EXPECT_EQ(searched[b].at(0).tokens, walks[b]) << "sentence " << b;
}

// Without scores a greedy search asks for each row's best token alone (at f32 through the output layer's
// 8-bit screen): the same translations, and scores NaN as promised.
TEST_F(ModelSearch, GreedyWithoutScoresTranslatesAsGreedyWithScores) {
  const std::vector<TokenIds> src = sources(60);
  SearchOptions without = raw_scores(1);
  without.scores = false;
  for (LoadedModel* model : {model_.get(), int8_model_.get()}) {
    if (!model) continue;
    const std::vector<NBest> scored = translate(src, raw_scores(1), 16, *model);
    const std::vector<NBest> best_only = translate(src, without, 16, *model);
    ASSERT_EQ(best_only.size(), src.size());
    for (size_t b = 0; b < src.size(); ++b) {
      ASSERT_EQ(best_only[b].size(), 1u) << "sentence " << b;
      EXPECT_EQ(best_only[b][0].tokens, scored[b].at(0).tokens)
          << precision_name(model->config.precision) << ", sentence " << b;
      EXPECT_TRUE(std::isnan(best_only[b][0].log_prob) && std::isnan(best_only[b][0].score));
    }
  }
}

TEST_F(ModelSearch, WiderBeamsReachAtLeastGreedysModelScore) {
  const std::vector<TokenIds> src = sources(30);
  const std::vector<NBest> greedy = translate(src, raw_scores(1), 16);
  double greedy_total = 0;
  for (const NBest& n : greedy) greedy_total += n.at(0).log_prob;
  for (int64_t beam = 2; beam <= 5; ++beam) {
    const std::vector<NBest> wider = translate(src, raw_scores(beam), 16);
    double total = 0;
    int worse = 0;
    for (size_t b = 0; b < src.size(); ++b) {
      total += wider[b].at(0).log_prob;
      worse += wider[b].at(0).log_prob < greedy[b].at(0).log_prob - 1e-4;
    }
    EXPECT_GE(total, greedy_total - 1e-3) << "beam " << beam;
    EXPECT_LE(worse, 1) << "beam " << beam << ": sentences scored below greedy";
  }
}

TEST_F(ModelSearch, ReportedLogProbabilityIsTheForcedDecodingScore) {
  const std::vector<TokenIds> src = sources(16);
  SearchOptions o = raw_scores(4);
  o.n_best = 3;
  const std::vector<NBest> results = translate(src, o, 16);
  std::vector<TokenIds> pair_sources, targets;
  std::vector<double> reported;
  for (size_t b = 0; b < src.size(); ++b) {
    for (const Hypothesis& h : results[b]) {
      pair_sources.push_back(src[b]);
      targets.push_back(h.tokens);
      reported.push_back(h.log_prob);
    }
  }
  ModelScorer scorer(*model_->network);
  const std::vector<double> forced = force_decode(scorer, pair_sources, targets, BatchLimits{5, 0});
  for (size_t i = 0; i < forced.size(); ++i)
    EXPECT_NEAR(forced[i], reported[i], 1e-3 * std::abs(reported[i]) + 1e-3) << i;
}

TEST_F(ModelSearch, ForcedDecodingEqualsTheTeacherForcedLoss) {
  EncodedCorpus pairs;
  const auto de = multi30k_lines("val.de.gz", 12), en = multi30k_lines("val.en.gz", 12);
  for (size_t i = 0; i < de.size(); ++i) {
    pairs.src.push_back(model_->src_vocab.encode(de[i]));
    pairs.tgt.push_back(model_->tgt_vocab.encode(en[i]));
  }
  std::vector<size_t> all(pairs.size());
  std::iota(all.begin(), all.end(), size_t{0});
  const LossSum loss = model_->network->forward(make_batch(pairs, all), false);
  ModelScorer scorer(*model_->network);
  const std::vector<double> forced =
      force_decode(scorer, pairs.src.to_vectors(), pairs.tgt.to_vectors(), BatchLimits{5, 0});
  const double forced_total = std::accumulate(forced.begin(), forced.end(), 0.0);
  EXPECT_NEAR(-forced_total, loss.loss, 1e-4 * loss.loss);
  EXPECT_EQ(loss.tokens, pairs.target_tokens());
}

void ModelSearch::expect_batch_invariance(LoadedModel& model) {
  const std::vector<TokenIds> src = sources(40);
  SearchOptions o = short_outputs(3);
  o.n_best = 2;
  const std::vector<NBest> alone = translate(src, o, 1, model);
  for (int64_t batch : {7, 64}) {
    const std::vector<NBest> batched = translate(src, o, batch, model);
    for (size_t b = 0; b < src.size(); ++b) {
      ASSERT_EQ(batched[b].size(), alone[b].size()) << "sentence " << b << ", batch " << batch;
      for (size_t n = 0; n < alone[b].size(); ++n) {
        EXPECT_EQ(batched[b][n].tokens, alone[b][n].tokens) << "sentence " << b << ", batch " << batch;
        EXPECT_NEAR(batched[b][n].score, alone[b][n].score, 1e-4) << "sentence " << b << ", batch " << batch;
      }
    }
  }
  std::vector<size_t> order(src.size());
  std::iota(order.begin(), order.end(), size_t{0});
  Rng rng(3);
  rng.shuffle(order);
  std::vector<TokenIds> shuffled;
  for (size_t i : order) shuffled.push_back(src[i]);
  const std::vector<NBest> reordered = translate(shuffled, o, 16, model);
  for (size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(reordered[i].at(0).tokens, alone[order[i]].at(0).tokens) << "sentence " << order[i];
}

TEST_F(ModelSearch, EachSentenceTranslatesTheSameInAnyBatchAndOrder) { expect_batch_invariance(*model_); }

// int8 rows are quantized one by one, so a sentence's search does not depend on its batch either. (On a CPU
// without 8-bit dot products precision int8 is refused: tests/core/quantized_linear_test.cpp.)
TEST_F(ModelSearch, Int8SearchTranslatesEachSentenceTheSameInAnyBatchAndOrder) {
  if (!int8_model_) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  expect_batch_invariance(*int8_model_);
}

TEST_F(ModelSearch, Int8ScoresAreTheInt8ForcedDecodingScores) {
  if (!int8_model_) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  const std::vector<TokenIds> src = sources(12);
  const std::vector<NBest> found = translate(src, raw_scores(3), 5, *int8_model_);
  std::vector<TokenIds> best;
  for (const NBest& n_best : found) best.push_back(n_best.at(0).tokens);
  ModelScorer scorer(*int8_model_->network);
  const std::vector<double> forced = force_decode(scorer, src, best, BatchLimits{4, 0});
  for (size_t b = 0; b < src.size(); ++b)
    EXPECT_NEAR(found[b].at(0).log_prob, forced[b], 1e-3) << "sentence " << b;
}

TEST_F(ModelSearch, TranslateIdsReturnsTheBestHypotheses) {
  std::vector<TokenIds> src = sources(10);
  src.insert(src.begin() + 3, TokenIds{});
  DecodeConfig config;
  config.beam_size = 2;
  config.batch_size = 4;
  config.max_length_factor = 1.0;
  config.max_length_offset = 5;
  const std::vector<TokenIds> best = translate_ids(*model_->network, src, config);
  const std::vector<NBest> expected = translate(src, search_options(config), 4);
  ASSERT_EQ(best.size(), src.size());
  EXPECT_TRUE(best[3].empty());
  for (size_t b = 0; b < src.size(); ++b) EXPECT_EQ(best[b], expected[b].at(0).tokens) << "sentence " << b;
}

}  // namespace
}  // namespace ferry
