// RnnLayer::backward against finite differences, gradient accumulation, and the backward call contract.
#include <gtest/gtest.h>

#include "core/layers/rnn.h"
#include "support/numeric.h"
#include "support/rnn_case.h"
#include "util/error.h"

namespace ferry {
namespace {

// A layer case with a fixed random loss weighting R: loss = sum(dst * R).
class RnnGradient : public ::testing::TestWithParam<RnnCaseParam> {
 protected:
  RnnGradient()
      : case_(std::get<0>(GetParam()), std::get<1>(GetParam()), std::get<2>(GetParam())),
        loss_weights_(random_tensor(case_.sequence_output().dims(), 77)),
        dst_(case_.sequence_output()) {}

  // Recomputes the loss from the current inputs and parameter values.
  double compute_loss() {
    case_.parameters_changed();
    case_.layer.forward_training(case_.src, case_.h0, case_.c0, dst_);
    return weighted_sum(dst_, loss_weights_);
  }

  // Runs forward and backward; parameter gradients land in the parameters' grads (added).
  void forward_backward(Tensor& d_src, Tensor& d_h0, Tensor& d_c0) {
    case_.layer.forward_training(case_.src, case_.h0, case_.c0, dst_);
    case_.layer.backward(loss_weights_, d_src, d_h0, d_c0);
  }

  RnnCase case_;
  Tensor loss_weights_;
  Tensor dst_;
};

TEST_P(RnnGradient, MatchesFiniteDifferences) {
  RnnCase& c = case_;
  const bool with_state = std::get<2>(GetParam());
  const bool lstm = has_cell_state(c.cell);
  Tensor d_src(c.src.dims()), d_h0, d_c0;
  if (with_state) d_h0 = c.state();
  if (with_state && lstm) d_c0 = c.state();
  c.params.zero_grads();
  forward_backward(d_src, d_h0, d_c0);

  const auto loss = [this] { return compute_loss(); };
  EXPECT_TRUE(gradient_matches(c.src, d_src, loss, "src"));
  if (with_state) {
    EXPECT_TRUE(gradient_matches(c.h0, d_h0, loss, "h0"));
    if (lstm) {
      EXPECT_TRUE(gradient_matches(c.c0, d_c0, loss, "c0"));
    }
  }
  for (Parameter* p : c.params.all()) EXPECT_TRUE(gradient_matches(p->value, p->grad, loss, p->name));
}

TEST_P(RnnGradient, ParameterGradientsAreAddedToGrads) {
  RnnCase& c = case_;
  Tensor d_src(c.src.dims()), none;
  c.params.zero_grads();
  forward_backward(d_src, none, none);
  std::vector<Tensor> once;
  for (Parameter* p : c.params.all()) once.push_back(p->grad.clone());

  // Start from 0.25 and run twice: every grad must be 0.25 + 2 * once (the layer's own buffers start at
  // zero).
  for (Parameter* p : c.params.all()) p->grad.fill(0.25f);
  forward_backward(d_src, none, none);
  forward_backward(d_src, none, none);
  for (size_t i = 0; i < once.size(); ++i) {
    Tensor expected = once[i].clone();
    for (int64_t j = 0; j < expected.numel(); ++j) expected.data()[j] = 0.25f + 2 * expected.data()[j];
    EXPECT_TRUE(all_close(c.params.all()[i]->grad, expected, 1e-6, 1e-7)) << c.params.all()[i]->name;
  }
}

TEST_P(RnnGradient, OutputGradientIsOnlyRead) {
  RnnCase& c = case_;
  const Tensor loss_weights = loss_weights_.clone();
  Tensor d_src(c.src.dims()), none;
  forward_backward(d_src, none, none);
  EXPECT_TRUE(all_close(loss_weights_, loss_weights, 0.0));
}

TEST_P(RnnGradient, BackwardUsesTheForwardsOwnCopies) {
  RnnCase& c = case_;
  Tensor expected(c.src.dims()), d_src(c.src.dims()), none;
  c.params.zero_grads();
  forward_backward(expected, none, none);
  std::vector<Tensor> expected_grads;
  for (Parameter* p : c.params.all()) expected_grads.push_back(p->grad.clone());
  c.params.zero_grads();

  // The caller reuses its input and output tensors between forward and backward.
  c.layer.forward_training(c.src, c.h0, c.c0, dst_);
  for (Tensor* t : {&c.src, &c.h0, &c.c0, &dst_}) {
    if (t->rank() > 0) fill_random(*t, 3);
  }
  c.layer.backward(loss_weights_, d_src, none, none);
  EXPECT_TRUE(bitwise_equal(d_src, expected));
  for (size_t i = 0; i < expected_grads.size(); ++i) {
    EXPECT_TRUE(bitwise_equal(c.params.all()[i]->grad, expected_grads[i])) << c.params.all()[i]->name;
  }
}

const RnnShape kGradientShapes[] = {
    {3, 2, 3, 4},  // I != H, unpadded gradient layouts
    {4, 3, 5, 5},  // padded weight strides
    {1, 1, 2, 3},  // one step, one row
};

INSTANTIATE_TEST_SUITE_P(RnnCells, RnnGradient,
                         ::testing::Combine(::testing::Values(CellKind::kLstm, CellKind::kGru,
                                                              CellKind::kRnn),
                                            ::testing::ValuesIn(kGradientShapes), ::testing::Bool()),
                         [](const auto& info) { return case_name(info.param); });

// Asking for the final cell state changes no gradient: it is a leaf, nothing flows back in through it.
// (Only the LSTM gives its final cell state separately.)
class RnnFinalCellStateGradient : public RnnGradient {};

TEST_P(RnnFinalCellStateGradient, IsALeaf) {
  RnnCase& c = case_;
  const bool with_state = std::get<2>(GetParam());
  Tensor expected_src(c.src.dims()), expected_h0, expected_c0, d_src(c.src.dims()), d_h0, d_c0;
  if (with_state) {
    expected_h0 = c.state(), expected_c0 = c.state(), d_h0 = c.state(), d_c0 = c.state();
  }
  c.params.zero_grads();
  forward_backward(expected_src, expected_h0, expected_c0);
  std::vector<Tensor> expected_grads;
  for (Parameter* p : c.params.all()) expected_grads.push_back(p->grad.clone());

  c.params.zero_grads();
  Tensor c_last = c.state();
  c.layer.forward_training(c.src, c.h0, c.c0, dst_, c_last);
  c.layer.backward(loss_weights_, d_src, d_h0, d_c0);
  EXPECT_TRUE(all_close(d_src, expected_src, 1e-6, 1e-7)) << "src";
  if (with_state) {
    EXPECT_TRUE(all_close(d_h0, expected_h0, 1e-6, 1e-7)) << "h0";
    EXPECT_TRUE(all_close(d_c0, expected_c0, 1e-6, 1e-7)) << "c0";
  }
  for (size_t i = 0; i < expected_grads.size(); ++i) {
    EXPECT_TRUE(all_close(c.params.all()[i]->grad, expected_grads[i], 1e-6, 1e-7)) << c.params.all()[i]->name;
  }
}

INSTANTIATE_TEST_SUITE_P(Lstm, RnnFinalCellStateGradient,
                         ::testing::Combine(::testing::Values(CellKind::kLstm),
                                            ::testing::ValuesIn(kGradientShapes), ::testing::Bool()),
                         [](const auto& info) { return case_name(info.param); });

TEST(RnnBackward, NeedsItsOwnPendingForward) {
  RnnCase c(CellKind::kLstm, {2, 2, 3, 4}, false);
  Tensor dst = c.sequence_output(), d_dst = c.sequence_output(), d_src(c.src.dims()), none, d_h0 = c.state();
  EXPECT_THROW(c.layer.backward(d_dst, d_src, none, none), InternalError) << "no forward yet";
  c.layer.forward_training(c.src, c.h0, c.c0, dst);
  EXPECT_THROW(c.layer.backward(d_dst, d_src, d_h0, none), InternalError) << "d_h0 without an h0";
  c.layer.backward(d_dst, d_src, none, none);
  EXPECT_THROW(c.layer.backward(d_dst, d_src, none, none), InternalError) << "forward already consumed";
  Tensor inferred = c.sequence_output();
  c.layer.forward_training(c.src, c.h0, c.c0, dst);
  c.layer.forward_inference(c.src, c.h0, c.c0, inferred, none, none);
  Tensor wrong({2, 2, 3});
  EXPECT_THROW(c.layer.backward(wrong, d_src, none, none), InternalError) << "d_dst dims";
  c.layer.backward(d_dst, d_src, none, none);  // inference in between leaves the pending forward intact
}

}  // namespace
}  // namespace ferry
