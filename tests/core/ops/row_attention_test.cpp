#include "core/ops/row_attention.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/numeric.h"

namespace ferry {
namespace {

struct Case {
  int64_t sentences, group, steps, channels;
  std::vector<int64_t> lengths;
};

// Lengths 0, full and in between; one case big enough for the loops to use threads.
std::vector<Case> cases() { return {{3, 2, 5, 4, {5, 0, 3}}, {2, 5, 40, 512, {40, 17}}}; }

TEST(RowAttention, DotScoresMatchTheNaiveSums) {
  for (const Case& c : cases()) {
    const int64_t rows = c.sentences * c.group;
    const Tensor queries = random_tensor({rows, c.channels}, 1);
    const Tensor keys = random_tensor({c.steps, c.sentences, c.channels}, 2);
    Tensor scores;
    row_dot_scores(queries, keys, c.lengths, c.group, scores);
    ASSERT_EQ(scores.dims(), (Dims{c.sentences, c.group, c.steps}));
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t b = r / c.group;
      for (int64_t s = 0; s < c.lengths[b]; ++s) {
        double expected = 0;
        for (int64_t k = 0; k < c.channels; ++k)
          expected += double{queries.data()[r * c.channels + k]} *
                      keys.data()[(s * c.sentences + b) * c.channels + k];
        EXPECT_NEAR(scores.data()[r * c.steps + s], expected, 1e-5 * (1 + std::abs(expected)))
            << "row " << r << ", position " << s;
      }
    }
  }
}

TEST(RowAttention, WeightedSumsCoverOnlyEachSentencesPositions) {
  for (const Case& c : cases()) {
    const int64_t rows = c.sentences * c.group;
    // Weights beyond a sentence's length are huge: they must not reach the sums.
    Tensor weights = random_tensor({c.sentences, c.group, c.steps}, 3);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t s = c.lengths[r / c.group]; s < c.steps; ++s) weights.data()[r * c.steps + s] = 1e30f;
    const Tensor values = random_tensor({c.steps, c.sentences, c.channels}, 4);
    Tensor context;
    row_weighted_sums(weights, values, c.lengths, context);
    ASSERT_EQ(context.dims(), (Dims{rows, c.channels}));
    Tensor expected({rows, c.channels});
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t b = r / c.group;
      for (int64_t d = 0; d < c.channels; ++d) {
        double sum = 0;
        for (int64_t s = 0; s < c.lengths[b]; ++s)
          sum +=
              double{weights.data()[r * c.steps + s]} * values.data()[(s * c.sentences + b) * c.channels + d];
        expected.data()[r * c.channels + d] = static_cast<float>(sum);
      }
    }
    EXPECT_TRUE(all_close(context, expected, 1e-5, 1e-6));
  }
}

}  // namespace
}  // namespace ferry
