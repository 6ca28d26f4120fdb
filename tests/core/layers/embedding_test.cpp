#include "core/layers/embedding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <tuple>

#include "support/numeric.h"
#include "support/thread_count.h"
#include "util/error.h"
#include "util/rng.h"

namespace ferry {
namespace {

constexpr int32_t kPad = 0;

// Ids with many repeats (and pads) so that backward must sum several positions into one row.
std::vector<int32_t> random_ids(int64_t count, int32_t vocab, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> ids(static_cast<size_t>(count));
  for (int32_t& id : ids) id = static_cast<int32_t>(rng.below(static_cast<uint64_t>(vocab)));
  return ids;
}

class EmbeddingTest : public ::testing::Test {
 protected:
  void build(int64_t vocab, int64_t dim) {
    layer_ = std::make_unique<Embedding>(params_, "src/embed", vocab, dim, kPad);
    params_.initialize(1);
  }
  ParamRegistry params_;
  std::unique_ptr<Embedding> layer_;
};

TEST_F(EmbeddingTest, LooksUpRowsAndZeroesPads) {
  build(7, 5);
  const std::vector<int32_t> ids = {3, 0, 6, 3, 1};
  Tensor out;
  layer_->forward(ids, out);
  ASSERT_EQ(out.dims(), (Dims{5, 5}));
  const float* table = layer_->table().value.data();
  for (size_t r = 0; r < ids.size(); ++r) {
    for (int64_t c = 0; c < 5; ++c) {
      const float expected = ids[r] == kPad ? 0.0f : table[ids[r] * 5 + c];
      EXPECT_EQ(out.data()[r * 5 + c], expected);
    }
  }
}

TEST(Embedding, BackwardMatchesFiniteDifferencesAndSkipsPad) {
  for (auto [vocab, dim, rows] : {std::tuple{7, 5, 20}, {50, 130, 400}}) {
    ParamRegistry fresh;
    Embedding layer(fresh, "e", vocab, dim, kPad);
    fresh.initialize(2);
    const std::vector<int32_t> ids = random_ids(rows, vocab, 3);
    ASSERT_NE(std::count(ids.begin(), ids.end(), kPad), 0);
    const Tensor weights = random_tensor({rows, dim}, 4);
    layer.backward(ids, weights);
    const auto loss = [&] {
      Tensor out;
      layer.forward(ids, out);
      return weighted_sum(out, weights);
    };
    EXPECT_TRUE(
        gradient_matches(layer.table().value, layer.table().grad, loss, "table", 1e-2, 2e-2, 1e-3, 300));
    const float* pad_grad = layer.table().grad.data() + kPad * dim;
    EXPECT_TRUE(std::all_of(pad_grad, pad_grad + dim, [](float g) { return g == 0.0f; }));
  }
}

TEST_F(EmbeddingTest, BackwardDoesNotDependOnThreadCount) {
  build(30, 256);
  const std::vector<int32_t> ids = random_ids(500, 30, 5);
  const Tensor grad_out = random_tensor({500, 256}, 6);
  const auto gradient = [&] {
    params_.zero_grads();
    layer_->backward(ids, grad_out);
    return layer_->table().grad.clone();
  };
  EXPECT_TRUE(all_close(with_threads(1, gradient), with_threads(2, gradient), 0.0));
}

TEST_F(EmbeddingTest, RejectsBadIds) {
  build(4, 3);
  Tensor out;
  EXPECT_THROW(layer_->forward({1, 4}, out), InternalError);
  EXPECT_THROW(layer_->forward({-1}, out), InternalError);
  EXPECT_THROW(layer_->backward({1, 2}, Tensor({3, 3})), InternalError);
  ParamRegistry other;
  EXPECT_THROW(Embedding(other, "x", 4, 3, 4), InternalError);
}

}  // namespace
}  // namespace ferry
