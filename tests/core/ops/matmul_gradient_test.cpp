// The products backward passes are made of, against central differences: for c (+)= a·b (+ bias) and
// loss = sum(w * c) with fixed random w, the gradients dA = w·bᵀ, dB = aᵀ·w (written into the storage of a
// transposed operand as b·wᵀ and wᵀ·a), d_bias = column sums of w and dC = w in accumulate mode, each
// computed by matmul over transposed views. Single matrices, batches and time-major sequences, every
// transpose combination, overwrite and accumulate, with and without the fused bias.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "core/ops/eltwise.h"
#include "core/ops/matmul.h"
#include "support/numeric.h"

namespace ferry {
namespace {

enum class Layout { kSingle, kBatched, kTimeMajor };

constexpr int64_t kBatch = 3, kM = 3, kK = 4, kN = 2;

// Storage of one operand of `rows` x `cols` per matrix: {rows, cols}, {B, rows, cols} or time-major
// {rows, B, cols}.
Dims storage_dims(Layout layout, int64_t rows, int64_t cols) {
  if (layout == Layout::kSingle) return {rows, cols};
  if (layout == Layout::kBatched) return {kBatch, rows, cols};
  return {rows, kBatch, cols};
}

MatrixView view(Layout layout, const Tensor& t, bool transposed = false) {
  const MatrixView v = layout == Layout::kTimeMajor ? sequence_matrices(t) : matrix(t);
  return transposed ? v.transposed() : v;
}

// (layout, a transposed, b transposed, accumulate, bias)
using MatMulGradientParam = std::tuple<Layout, bool, bool, bool, bool>;

class MatMulGradient : public ::testing::TestWithParam<MatMulGradientParam> {};

TEST_P(MatMulGradient, MatchesFiniteDifferences) {
  const auto [layout, transpose_a, transpose_b, accumulate, with_bias] = GetParam();
  // A transposed operand is stored as its transpose and viewed back.
  Tensor a_store =
      random_tensor(transpose_a ? storage_dims(layout, kK, kM) : storage_dims(layout, kM, kK), 1);
  Tensor b_store =
      random_tensor(transpose_b ? storage_dims(layout, kN, kK) : storage_dims(layout, kK, kN), 2);
  Tensor c0 = random_tensor(storage_dims(layout, kM, kN), 3);
  Tensor bias = random_tensor({kN}, 4);
  const Tensor w = random_tensor(c0.dims(), 5);
  const MatrixView a = view(layout, a_store, transpose_a), b = view(layout, b_store, transpose_b);
  Tensor c(c0.dims());
  const auto loss = [&] {
    c.copy_from(c0);
    matmul(a, b, view(layout, c), accumulate ? WriteMode::kAccumulate : WriteMode::kOverwrite,
           with_bias ? bias.data() : nullptr);
    return weighted_sum(c, w);
  };

  Tensor d_a(a_store.dims()), d_b(b_store.dims()), d_bias({kN});
  if (transpose_a) {
    matmul(b, view(layout, w, true), view(layout, d_a));
  } else {
    matmul(view(layout, w), b.transposed(), view(layout, d_a));
  }
  if (transpose_b) {
    matmul(view(layout, w, true), a, view(layout, d_b));
  } else {
    matmul(a.transposed(), view(layout, w), view(layout, d_b));
  }
  accumulate_bias_grad(w, d_bias);

  EXPECT_TRUE(every_gradient_element_matches(a_store, d_a, loss, "a"));
  EXPECT_TRUE(every_gradient_element_matches(b_store, d_b, loss, "b"));
  if (with_bias) {
    EXPECT_TRUE(every_gradient_element_matches(bias, d_bias, loss, "bias"));
  }
  if (accumulate) {
    EXPECT_TRUE(every_gradient_element_matches(c0, w, loss, "c before accumulating"));
  }
}

std::string matmul_case_name(const ::testing::TestParamInfo<MatMulGradientParam>& info) {
  const auto& [layout, transpose_a, transpose_b, accumulate, with_bias] = info.param;
  const char* layouts[] = {"single", "batched", "time_major"};
  return std::string(layouts[static_cast<int>(layout)]) + (transpose_a ? "_aT" : "_a") +
         (transpose_b ? "_bT" : "_b") + (accumulate ? "_accumulate" : "") + (with_bias ? "_bias" : "");
}

INSTANTIATE_TEST_SUITE_P(
    AllLayouts, MatMulGradient,
    ::testing::Combine(::testing::Values(Layout::kSingle, Layout::kBatched, Layout::kTimeMajor),
                       ::testing::Bool(), ::testing::Bool(), ::testing::Bool(), ::testing::Bool()),
    matmul_case_name);

}  // namespace
}  // namespace ferry
