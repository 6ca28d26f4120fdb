// The raw attention of search over a network, before any grouping into words: for a batch of sources of
// mixed lengths, every row is a distribution over its own sentence's source positions and </s>, with nothing
// on the padding, and the rows a hypothesis keeps are the ones its own tokens produce.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/thread_count.h"
#include "translate/model_scorer.h"
#include "translate/search.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

class SearchAttention : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    model_ = std::make_unique<Seq2Seq>(config(), kTestSrcVocab, kTestTgtVocab, 1);
    randomize_parameters(model_->params(), 31, 1.5f);
  }

  ModelConfig config() const {
    return small_config({"lstm", 1, true, false}, {"lstm", 1, GetParam(), "dense", false});
  }

  ScopedThreadCount threads_{1};
  std::unique_ptr<Seq2Seq> model_;
  const std::vector<TokenIds> sources_ = random_sentences({1, 6, 3, 0, 8, 2}, kTestSrcVocab, 32);
};

// Sum of a row's first `columns` weights; every weight must be a probability.
double sum_of(const float* row, size_t columns) {
  double sum = 0;
  for (size_t i = 0; i < columns; ++i) {
    EXPECT_GE(row[i], 0.0f) << "column " << i;
    sum += row[i];
  }
  return sum;
}

TEST_P(SearchAttention, EveryStepRowSumsToOneOverItsSourceAndIsZeroOnPadding) {
  const int64_t beam = 2;
  ModelScorer scorer(*model_);
  scorer.begin(sources_, beam);
  std::vector<int> tokens(sources_.size() * beam, kBosId);
  for (int step = 0; step < 3; ++step) {
    scorer.step(tokens);
    const Tensor& attention = scorer.attention();
    ASSERT_EQ(attention.dim(0), static_cast<int64_t>(tokens.size()));
    const auto width = static_cast<size_t>(attention.dim(1));
    for (size_t r = 0; r < tokens.size(); ++r) {
      SCOPED_TRACE("step " + std::to_string(step) + " row " + std::to_string(r));
      const size_t real = sources_[r / beam].size() + 1;  // the source and its </s>
      ASSERT_LE(real, width);
      const float* row = attention.data() + r * width;
      EXPECT_NEAR(sum_of(row, real), 1.0, 1e-5);
      for (size_t i = real; i < width; ++i) EXPECT_EQ(row[i], 0.0f) << "padding column " << i;
      tokens[r] = kEosId + 1 + static_cast<int>((r + step) % (kTestTgtVocab - kEosId - 1));
    }
  }
}

TEST_P(SearchAttention, HypothesesKeepTheRowsTheirOwnTokensProduce) {
  SearchOptions options;
  options.beam_size = 3;
  options.n_best = 3;
  options.max_length_factor = 1.0;
  options.max_length_offset = 3;
  options.keep_attention = true;
  ModelScorer scorer(*model_);
  Search search(options);
  std::vector<NBest> results;
  search.run(scorer, sources_, std::vector<uint64_t>(sources_.size(), 0), results);
  ASSERT_EQ(results.size(), sources_.size());
  for (size_t b = 0; b < sources_.size(); ++b) {
    const size_t columns = sources_[b].size() + 1;
    for (const Hypothesis& h : results[b]) {
      SCOPED_TRACE("sentence " + std::to_string(b));
      const size_t rows = h.tokens.size() + 1;
      ASSERT_EQ(h.attention.size(), rows * columns);
      // The same tokens fed to the sentence alone, with no padding around it.
      ModelScorer alone(*model_);
      alone.begin({sources_[b]}, 1);
      std::vector<int> token = {kBosId};
      for (size_t t = 0; t < rows; ++t) {
        alone.step(token);
        const float* expected = alone.attention().data();
        const float* kept = h.attention.data() + t * columns;
        EXPECT_NEAR(sum_of(kept, columns), 1.0, 1e-5) << "target position " << t;
        for (size_t i = 0; i < columns; ++i)
          EXPECT_NEAR(kept[i], expected[i], 1e-5) << "target position " << t << " column " << i;
        if (t < h.tokens.size()) token[0] = h.tokens[t];
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, SearchAttention, ::testing::Values("dot", "general", "mlp"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace ferry
