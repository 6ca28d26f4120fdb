// RnnLayer's LSTM training on the matmul kernel (MatmulLstm): forward against the naive reference, backward
// against finite differences and against the RNN primitive's gradients, and the backward call contract.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/layers/rnn.h"
#include "core/layers/rnn_kernel.h"
#include "support/numeric.h"
#include "support/rnn_case.h"
#include "support/scoped_rnn_kernel.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr double kReferenceRtol = 1e-5;

// As in rnn_test.cpp: f32 rounding of the gates' dot products grows like sqrt(I + H).
double absolute_floor(const RnnShape& s) {
  return 1e-6 * std::max(1.0, std::sqrt(static_cast<double>(s.input + s.hidden) / 64.0));
}

using ShapeState = std::tuple<RnnShape, bool>;

std::string shape_state_name(const ::testing::TestParamInfo<ShapeState>& info) {
  return case_name({CellKind::kLstm, std::get<0>(info.param), std::get<1>(info.param)});
}

class MatmulLstmForward : public ::testing::TestWithParam<ShapeState> {
 protected:
  ScopedRnnKernel kernel_{RnnTrainingKernel::kMatmul};
};

TEST_P(MatmulLstmForward, MatchesTheReference) {
  const auto& [shape, with_state] = GetParam();
  RnnCase c(CellKind::kLstm, shape, with_state);
  const RnnReferenceOutput expected = c.reference();
  const double atol = absolute_floor(shape);
  Tensor dst = c.sequence_output(), c_last = c.state();
  c.layer.forward_training(c.src, c.h0, c.c0, dst, c_last);
  EXPECT_TRUE(all_close(dst, expected.dst, kReferenceRtol, atol)) << "h of every step";
  EXPECT_TRUE(all_close(c_last, expected.c_last, kReferenceRtol, atol)) << "final c";

  Tensor again = c.sequence_output();
  c.layer.forward_training(c.src, c.h0, c.c0, again);
  EXPECT_TRUE(bitwise_equal(dst, again)) << "a repeated run";
}

const RnnShape kShapes[] = {
    {1, 1, 3, 4},       // one step, one row
    {5, 3, 7, 4},       // I != H
    {4, 2, 5, 5},       // odd widths
    {3, 5, 16, 32},     // I < H
    {1, 20, 12, 16},    // one step over many rows
    {6, 16, 256, 256},  // the reference model's encoder layer width
    {5, 64, 256, 512},  // the reference decoder's first layer: rows enough for threads in the cell pass
};

INSTANTIATE_TEST_SUITE_P(Shapes, MatmulLstmForward,
                         ::testing::Combine(::testing::ValuesIn(kShapes), ::testing::Bool()),
                         shape_state_name);

// loss = sum(dst * R) for a fixed random R, as in rnn_gradient_test.cpp.
class MatmulLstmGradient : public ::testing::TestWithParam<ShapeState> {
 protected:
  MatmulLstmGradient()
      : case_(CellKind::kLstm, std::get<0>(GetParam()), std::get<1>(GetParam())),
        loss_weights_(random_tensor(case_.sequence_output().dims(), 77)),
        dst_(case_.sequence_output()) {}

  // The gradients of every input and parameter, from zeroed grads; d_h0 / d_c0 only with a state.
  struct Gradients {
    Tensor d_src, d_h0, d_c0;
    std::vector<Tensor> params;
  };
  Gradients gradients(bool final_state = false) {
    Gradients g;
    g.d_src = Tensor(case_.src.dims());
    if (std::get<1>(GetParam())) g.d_h0 = case_.state(), g.d_c0 = case_.state();
    case_.params.zero_grads();
    Tensor c_last;
    if (final_state) c_last = case_.state();
    case_.layer.forward_training(case_.src, case_.h0, case_.c0, dst_, c_last);
    case_.layer.backward(loss_weights_, g.d_src, g.d_h0, g.d_c0);
    for (Parameter* p : case_.params.all()) g.params.push_back(p->grad.clone());
    return g;
  }

  ScopedRnnKernel kernel_{RnnTrainingKernel::kMatmul};
  RnnCase case_;
  Tensor loss_weights_;
  Tensor dst_;
};

TEST_P(MatmulLstmGradient, MatchesFiniteDifferences) {
  RnnCase& c = case_;
  Gradients g = gradients();
  const auto loss = [this] {
    case_.parameters_changed();
    case_.layer.forward_training(case_.src, case_.h0, case_.c0, dst_);
    return weighted_sum(dst_, loss_weights_);
  };
  EXPECT_TRUE(gradient_matches(c.src, g.d_src, loss, "src"));
  if (std::get<1>(GetParam())) {
    EXPECT_TRUE(gradient_matches(c.h0, g.d_h0, loss, "h0"));
    EXPECT_TRUE(gradient_matches(c.c0, g.d_c0, loss, "c0"));
  }
  const std::vector<Parameter*> params = c.params.all();
  for (size_t i = 0; i < params.size(); ++i) {
    EXPECT_TRUE(gradient_matches(params[i]->value, g.params[i], loss, params[i]->name));
  }
}

TEST_P(MatmulLstmGradient, EqualsThePrimitivesGradients) {
  const Gradients matmul = gradients();
  Gradients primitive;
  {
    ScopedRnnKernel kernel(RnnTrainingKernel::kPrimitive);
    primitive = gradients();
  }
  const double atol = 10 * absolute_floor(std::get<0>(GetParam()));
  EXPECT_TRUE(all_close(matmul.d_src, primitive.d_src, kReferenceRtol, atol)) << "src";
  if (std::get<1>(GetParam())) {
    EXPECT_TRUE(all_close(matmul.d_h0, primitive.d_h0, kReferenceRtol, atol)) << "h0";
    EXPECT_TRUE(all_close(matmul.d_c0, primitive.d_c0, kReferenceRtol, atol)) << "c0";
  }
  for (size_t i = 0; i < matmul.params.size(); ++i) {
    EXPECT_TRUE(all_close(matmul.params[i], primitive.params[i], kReferenceRtol, atol))
        << case_.params.all()[i]->name;
  }
}

TEST_P(MatmulLstmGradient, FinalCellStateIsALeaf) {
  const Gradients without = gradients(false), with = gradients(true);
  EXPECT_TRUE(bitwise_equal(with.d_src, without.d_src));
  for (size_t i = 0; i < with.params.size(); ++i)
    EXPECT_TRUE(bitwise_equal(with.params[i], without.params[i]));
}

TEST_P(MatmulLstmGradient, AddsToGradsAndKeepsItsOwnCopies) {
  RnnCase& c = case_;
  const Gradients once = gradients();
  for (Parameter* p : c.params.all()) p->grad.fill(0.25f);
  Tensor d_src(c.src.dims()), none;
  c.layer.forward_training(c.src, c.h0, c.c0, dst_);
  // The caller reuses its input and output tensors between forward and backward.
  for (Tensor* t : {&c.src, &dst_}) fill_random(*t, 3);
  c.layer.backward(loss_weights_, d_src, none, none);
  EXPECT_TRUE(bitwise_equal(d_src, once.d_src));
  const std::vector<Parameter*> params = c.params.all();
  for (size_t i = 0; i < params.size(); ++i) {
    Tensor expected = once.params[i].clone();
    for (int64_t j = 0; j < expected.numel(); ++j) expected.data()[j] += 0.25f;
    EXPECT_TRUE(all_close(params[i]->grad, expected, 1e-6, 1e-7)) << params[i]->name;
  }
}

const RnnShape kGradientShapes[] = {
    {3, 2, 3, 4},  // I != H
    {4, 3, 5, 5},  // odd widths
    {1, 1, 2, 3},  // one step, one row
};

INSTANTIATE_TEST_SUITE_P(Shapes, MatmulLstmGradient,
                         ::testing::Combine(::testing::ValuesIn(kGradientShapes), ::testing::Bool()),
                         shape_state_name);

// The primitive comparison at the reference model's widths, where threads split the cell passes and the
// products.
class MatmulLstmWide : public MatmulLstmGradient {};

TEST_P(MatmulLstmWide, EqualsThePrimitivesGradients) {
  const Gradients matmul = gradients();
  Gradients primitive;
  {
    ScopedRnnKernel kernel(RnnTrainingKernel::kPrimitive);
    primitive = gradients();
  }
  // Sums over T·N rows and 4H gates: f32 rounding grows with their square root.
  const RnnShape s = std::get<0>(GetParam());
  const double atol = 1e-5 * std::sqrt(static_cast<double>(s.steps * s.batch + 4 * s.hidden) / 64.0);
  EXPECT_TRUE(all_close(matmul.d_src, primitive.d_src, 1e-4, atol)) << "src";
  if (std::get<1>(GetParam())) {
    EXPECT_TRUE(all_close(matmul.d_h0, primitive.d_h0, 1e-4, atol)) << "h0";
    EXPECT_TRUE(all_close(matmul.d_c0, primitive.d_c0, 1e-4, atol)) << "c0";
  }
  for (size_t i = 0; i < matmul.params.size(); ++i) {
    EXPECT_TRUE(all_close(matmul.params[i], primitive.params[i], 1e-4, atol)) << case_.params.all()[i]->name;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, MatmulLstmWide,
                         ::testing::Combine(::testing::Values(RnnShape{6, 16, 256, 256},
                                                              RnnShape{5, 64, 256, 512}),
                                            ::testing::Bool()),
                         shape_state_name);

// Repeated shapes create and reorder nothing; batches whose T·N round to the same rows share products and
// still give each its own results.
TEST(MatmulLstmReuse, RepeatedShapesCreateAndReorderNothing) {
  ScopedRnnKernel kernel(RnnTrainingKernel::kMatmul);
  RnnCase a(CellKind::kLstm, {6, 3, 4, 5}, true), b(CellKind::kLstm, {2, 7, 4, 5}, true),
      mixed(CellKind::kLstm, {6, 3, 4, 5}, true);
  const auto passes = [](RnnCase& c, const RnnCase& inputs) {
    const Dims output_dims = {inputs.src.dim(0), inputs.src.dim(1), c.shape.hidden};
    Tensor dst(output_dims), d_src(inputs.src.dims()), none;
    c.params.zero_grads();
    c.layer.forward_training(inputs.src, inputs.h0, inputs.c0, dst);
    c.layer.backward(random_tensor(output_dims, 5), d_src, none, none);
    std::vector<Tensor> results = {dst, d_src};
    for (const Parameter* p : c.params.all()) results.push_back(p->grad.clone());
    return results;
  };
  const std::vector<Tensor> expected_a = passes(a, a), expected_b = passes(b, b);
  passes(mixed, a);
  passes(mixed, b);
  const int64_t primitives = mixed.layer.primitive_count(), reorders = mixed.layer.weight_reorder_count();
  // Rows 3 and 7 (one set of step products each); T·N = 18 and 14 round to the same row count.
  EXPECT_EQ(primitives, 8);
  for (int round = 0; round < 3; ++round) {
    const std::vector<Tensor> got_a = passes(mixed, a), got_b = passes(mixed, b);
    for (size_t i = 0; i < got_a.size(); ++i) {
      EXPECT_TRUE(bitwise_equal(got_a[i], expected_a[i])) << "a, result " << i;
      EXPECT_TRUE(bitwise_equal(got_b[i], expected_b[i])) << "b, result " << i;
    }
  }
  EXPECT_EQ(mixed.layer.primitive_count(), primitives);
  EXPECT_EQ(mixed.layer.weight_reorder_count(), reorders);
  mixed.parameters_changed();
  passes(mixed, a);
  EXPECT_GT(mixed.layer.weight_reorder_count(), reorders);
  EXPECT_LE(mixed.layer.weight_reorder_count(), 2 * reorders) << "at most one reorder per layout and update";
}

TEST(RnnTrainingKernel, NamesParseAndOthersAreRefused) {
  EXPECT_EQ(parse_rnn_training_kernel("matmul"), RnnTrainingKernel::kMatmul);
  EXPECT_EQ(parse_rnn_training_kernel("primitive"), RnnTrainingKernel::kPrimitive);
  EXPECT_STREQ(rnn_training_kernel_name(RnnTrainingKernel::kMatmul), "matmul");
  EXPECT_THROW(parse_rnn_training_kernel("fast"), InputError);
}

}  // namespace
}  // namespace ferry
