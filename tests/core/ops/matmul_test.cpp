#include "core/ops/matmul.h"

#include <gtest/gtest.h>

#include <tuple>

#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

double at(const MatrixView& v, int64_t i, int64_t r, int64_t c) {
  return static_cast<const float*>(v.data)[i * v.batch_stride + r * v.row_stride + c * v.col_stride];
}

// c (+)= a·b by the textbook triple loop, in double.
void naive_matmul(const MatrixView& a, const MatrixView& b, const MatrixView& c, WriteMode mode) {
  for (int64_t i = 0; i < c.batch; ++i) {
    for (int64_t r = 0; r < c.rows; ++r) {
      for (int64_t col = 0; col < c.cols; ++col) {
        double sum = mode == WriteMode::kAccumulate ? at(c, i, r, col) : 0.0;
        for (int64_t k = 0; k < a.cols; ++k) sum += at(a, i, r, k) * at(b, i, k, col);
        static_cast<float*>(c.data)[i * c.batch_stride + r * c.row_stride + col] = static_cast<float>(sum);
      }
    }
  }
}

// (batched, a transposed, b transposed, accumulate)
class MatMulVariant : public ::testing::TestWithParam<std::tuple<bool, bool, bool, bool>> {};

TEST_P(MatMulVariant, MatchesNaiveProduct) {
  const auto [batched, transpose_a, transpose_b, accumulate] = GetParam();
  const int64_t batch = batched ? 3 : 1, m = 7, k = 19, n = 5;
  const auto dims = [&](int64_t rows, int64_t cols) {
    return batched ? Dims{batch, rows, cols} : Dims{rows, cols};
  };
  // A transposed operand is stored as its transpose and viewed back.
  Tensor a_store = random_tensor(transpose_a ? dims(k, m) : dims(m, k), 1);
  Tensor b_store = random_tensor(transpose_b ? dims(n, k) : dims(k, n), 2);
  Tensor c = random_tensor(dims(m, n), 3);
  Tensor expected = c.clone();
  const MatrixView a = transpose_a ? matrix(a_store).transposed() : matrix(a_store);
  const MatrixView b = transpose_b ? matrix(b_store).transposed() : matrix(b_store);
  const WriteMode mode = accumulate ? WriteMode::kAccumulate : WriteMode::kOverwrite;

  matmul(a, b, matrix(c), mode);
  naive_matmul(a, b, matrix(expected), mode);
  EXPECT_TRUE(all_close(c, expected, 1e-5, 1e-6));

  // The cached primitive serves new data of the same shape.
  fill_random(a_store, 4);
  Tensor again = c.clone();
  matmul(a, b, matrix(again), mode);
  naive_matmul(a, b, matrix(c), mode);
  EXPECT_TRUE(all_close(again, c, 1e-5, 1e-6));
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, MatMulVariant,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Bool(),
                                            ::testing::Bool()));

TEST(MatMul, AttentionOverTimeMajorStates) {
  const int64_t source = 6, target = 4, batch = 3, width = 10;
  const Tensor encoder = random_tensor({source, batch, width}, 5);  // {S, N, 2H}
  const Tensor queries = random_tensor({target, batch, width}, 6);  // {T, N, 2H}

  // scores {N, T, S} = per sentence queries {T, 2H} · encoderᵀ {2H, S}
  Tensor scores({batch, target, source}), expected_scores({batch, target, source});
  const MatrixView keys = sequence_matrices(encoder).transposed();
  matmul(sequence_matrices(queries), keys, matrix(scores));
  naive_matmul(sequence_matrices(queries), keys, matrix(expected_scores), WriteMode::kOverwrite);
  EXPECT_TRUE(all_close(scores, expected_scores, 1e-5, 1e-6));

  // context {T, N, 2H}, written in place through a strided output view: weights {T, S} · encoder {S, 2H}
  Tensor context({target, batch, width}), expected_context({target, batch, width});
  matmul(matrix(scores), sequence_matrices(encoder), sequence_matrices(context));
  naive_matmul(matrix(scores), sequence_matrices(encoder), sequence_matrices(expected_context),
               WriteMode::kOverwrite);
  EXPECT_TRUE(all_close(context, expected_context, 1e-5, 1e-6));

  // gradient of the keys: dK_n {S, 2H} += dscores_nᵀ {S, T} · queries_n {T, 2H}, accumulated into {S, N, 2H}
  Tensor key_grad = random_tensor({source, batch, width}, 7);
  Tensor expected_grad = key_grad.clone();
  matmul(matrix(scores).transposed(), sequence_matrices(queries), sequence_matrices(key_grad),
         WriteMode::kAccumulate);
  naive_matmul(matrix(scores).transposed(), sequence_matrices(queries), sequence_matrices(expected_grad),
               WriteMode::kAccumulate);
  EXPECT_TRUE(all_close(key_grad, expected_grad, 1e-5, 1e-6));
}

TEST(MatMul, BiasIsAddedToEveryRowOfEveryMatrix) {
  for (const bool accumulate : {false, true}) {
    for (const int64_t batch : {1, 3}) {
      const Tensor a = random_tensor({batch, 6, 9}, 11), b = random_tensor({batch, 9, 4}, 12);
      const Tensor bias = random_tensor({4}, 13);
      Tensor c = random_tensor({batch, 6, 4}, 14);
      Tensor expected = c.clone();
      const WriteMode mode = accumulate ? WriteMode::kAccumulate : WriteMode::kOverwrite;
      naive_matmul(matrix(a), matrix(b), matrix(expected), mode);
      for (int64_t row = 0; row < batch * 6; ++row) {
        for (int64_t j = 0; j < 4; ++j) expected.data()[row * 4 + j] += bias.data()[j];
      }
      matmul(matrix(a), matrix(b), matrix(c), mode, bias.data());
      EXPECT_TRUE(all_close(c, expected, 1e-5, 1e-6)) << "batch " << batch << ", accumulate " << accumulate;
    }
  }
  const Tensor empty_a({2, 0}), empty_b({0, 3}), bias = random_tensor({3}, 15);
  Tensor c({2, 3});
  matmul(matrix(empty_a), matrix(empty_b), matrix(c), WriteMode::kOverwrite, bias.data());
  for (int64_t j = 0; j < 3; ++j) EXPECT_EQ(c.data()[3 + j], bias.data()[j]);
}

TEST(MatMul, FlatMatrixMergesLeadingDims) {
  const Tensor x = random_tensor({3, 2, 4}, 8);
  const MatrixView v = flat_matrix(x);
  EXPECT_EQ(v.batch, 1);
  EXPECT_EQ(v.rows, 6);
  EXPECT_EQ(v.cols, 4);
  EXPECT_EQ(at(v, 0, 5, 3), x.data()[23]);
}

TEST(MatMul, EmptyInnerDimensionGivesZerosOrKeepsC) {
  const Tensor a({2, 0}), b({0, 3});
  Tensor c = random_tensor({2, 3}, 9);
  const Tensor before = c.clone();
  matmul(matrix(a), matrix(b), matrix(c), WriteMode::kAccumulate);
  EXPECT_TRUE(all_close(c, before, 0.0));
  matmul(matrix(a), matrix(b), matrix(c));
  EXPECT_TRUE(all_close(c, Tensor({2, 3}), 0.0));
}

TEST(MatMul, RejectsMisfitShapesAndStridedOutput) {
  const Tensor a({2, 3}), b({4, 5});
  Tensor c({2, 5});
  EXPECT_THROW(matmul(matrix(a), matrix(b), matrix(c)), InternalError);
  const Tensor square({5, 5});
  Tensor out({5, 5});
  EXPECT_THROW(matmul(matrix(square), matrix(square), matrix(out).transposed()), InternalError);
  EXPECT_THROW(matrix(Tensor({2, 3, 4, 5})), InternalError);
}

}  // namespace
}  // namespace ferry
