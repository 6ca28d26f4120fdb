// RnnLayer forward passes against the naive reference, the gate-order convention, and argument checks.
#include "core/layers/rnn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "support/numeric.h"
#include "support/rnn_case.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr double kReferenceRtol = 1e-5;
// oneDNN promises no equality between its training and inference kernels (at larger sizes they sum in
// another order), only the same computation.
constexpr double kPropRtol = 1e-6;

// The absolute floor of both comparisons: 1e-6 (|h| < 1) while the gates' dot products are short; f32
// rounding in a dot product of length K = I + H grows like sqrt(K), and the floor with it beyond K = 64.
double absolute_floor(const RnnShape& s) {
  return 1e-6 * std::max(1.0, std::sqrt(static_cast<double>(s.input + s.hidden) / 64.0));
}

const CellKind kCells[] = {CellKind::kLstm, CellKind::kGru, CellKind::kRnn};

class RnnForward : public ::testing::TestWithParam<RnnCaseParam> {};

TEST_P(RnnForward, TrainingAndInferenceMatchTheReference) {
  const auto& [cell, shape, with_state] = GetParam();
  RnnCase c(cell, shape, with_state);
  const RnnReferenceOutput expected = c.reference();
  const double atol = absolute_floor(shape);

  Tensor trained = c.sequence_output();
  c.layer.forward_training(c.src, c.h0, c.c0, trained);
  EXPECT_TRUE(all_close(trained, expected.dst, kReferenceRtol, atol)) << "forward_training";

  Tensor inferred = c.sequence_output(), h_last = c.state(), c_last;
  if (has_cell_state(cell)) c_last = c.state();
  c.layer.forward_inference(c.src, c.h0, c.c0, inferred, h_last, c_last);
  EXPECT_TRUE(all_close(inferred, expected.dst, kReferenceRtol, atol)) << "forward_inference";
  EXPECT_TRUE(all_close(h_last, expected.h_last, kReferenceRtol, atol)) << "final h";
  if (has_cell_state(cell)) {
    EXPECT_TRUE(all_close(c_last, expected.c_last, kReferenceRtol, atol)) << "final c";
  }
  EXPECT_TRUE(all_close(inferred, trained, kPropRtol, atol)) << "inference against training";
}

TEST_P(RnnForward, RepeatedRunsAreBitwiseIdentical) {
  const auto& [cell, shape, with_state] = GetParam();
  RnnCase c(cell, shape, with_state);
  Tensor first = c.sequence_output(), again = c.sequence_output(), none;
  c.layer.forward_training(c.src, c.h0, c.c0, first);
  c.layer.forward_training(c.src, c.h0, c.c0, again);
  EXPECT_TRUE(bitwise_equal(first, again)) << "forward_training";
  c.layer.forward_inference(c.src, c.h0, c.c0, first, none, none);
  c.layer.forward_inference(c.src, c.h0, c.c0, again, none, none);
  EXPECT_TRUE(bitwise_equal(first, again)) << "forward_inference";
}

const RnnShape kShapes[] = {
    {1, 1, 3, 4},       // one step, one row
    {5, 3, 7, 4},       // I != H
    {4, 2, 5, 5},       // odd widths: padded weight strides
    {3, 5, 16, 32},     // I < H
    {1, 20, 12, 16},    // one step over many rows (the decoder's search shape)
    {2, 17, 8, 64},     // G * H a multiple of 256 for the LSTM: padded leading dimension
    {6, 16, 256, 256},  // the reference model's encoder layer width
};

INSTANTIATE_TEST_SUITE_P(RnnCells, RnnForward,
                         ::testing::Combine(::testing::ValuesIn(kCells), ::testing::ValuesIn(kShapes),
                                            ::testing::Bool()),
                         [](const auto& info) { return case_name(info.param); });

// Training that carries the state on (truncated backpropagation through time) gives the final cell state too.
// (Only the LSTM has a cell state; the final h is dst[T - 1].)
class RnnFinalCellState : public ::testing::TestWithParam<RnnCaseParam> {};

TEST_P(RnnFinalCellState, TrainingGivesItAsTheReferenceDoes) {
  const auto& [cell, shape, with_state] = GetParam();
  RnnCase c(cell, shape, with_state);
  const RnnReferenceOutput expected = c.reference();
  const double atol = absolute_floor(shape);
  Tensor trained = c.sequence_output(), c_last = c.state();
  c.layer.forward_training(c.src, c.h0, c.c0, trained, c_last);
  EXPECT_TRUE(all_close(trained, expected.dst, kReferenceRtol, atol)) << "forward_training";
  EXPECT_TRUE(all_close(c_last, expected.c_last, kReferenceRtol, atol)) << "final c";
}

INSTANTIATE_TEST_SUITE_P(Lstm, RnnFinalCellState,
                         ::testing::Combine(::testing::Values(CellKind::kLstm), ::testing::ValuesIn(kShapes),
                                            ::testing::Bool()),
                         [](const auto& info) { return case_name(info.param); });

// Gate order pinned without the reference: all weights zero, so every gate is its bias alone, and each case
// opens or closes gates so that any mix-up of two gates gives a different output.
class RnnGateOrder : public ::testing::Test {
 protected:
  static constexpr float kOpen = 30.0f;  // sigmoid(30) = 1 and sigmoid(-30) = 0 to within 1e-13

  // Runs a zero-weight layer with the given bias rows over T = 3 steps; returns dst.
  Tensor run(const std::vector<float>& bias_rows, RnnCase& c) {
    for (Parameter* p : c.params.all()) p->value.zero();
    Parameter& bias = c.params.get("test/rnn/bias");
    for (int64_t g = 0; g < bias.value.dim(0); ++g) {
      for (int64_t k = 0; k < bias.value.dim(1); ++k)
        bias.value.data()[g * bias.value.dim(1) + k] = bias_rows[g];
    }
    c.parameters_changed();
    Tensor dst = c.sequence_output();
    c.layer.forward_training(c.src, c.h0, c.c0, dst);
    return dst;
  }

  // Every step of every row equals `expected(k)`, computed per row n and unit k.
  template <typename Expected>
  void expect_all_steps(const Tensor& dst, const Expected& expected, const char* what) {
    const int64_t steps = dst.dim(0), batch = dst.dim(1), hidden = dst.dim(2);
    for (int64_t t = 0; t < steps; ++t) {
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t k = 0; k < hidden; ++k) {
          ASSERT_NEAR(dst.data()[(t * batch + n) * hidden + k], expected(n, k), 1e-6)
              << what << " at t " << t << ", n " << n << ", k " << k;
        }
      }
    }
  }
};

TEST_F(RnnGateOrder, LstmGatesAreInputForgetCandidateOutput) {
  RnnCase c(CellKind::kLstm, {3, 2, 2, 3}, true);
  const auto c0 = [&](int64_t n, int64_t k) { return c.c0.data()[n * 3 + k]; };
  // i closed, f open: c stays c0, h = tanh(c0).
  expect_all_steps(
      run({-kOpen, kOpen, 0.7f, kOpen}, c), [&](int64_t n, int64_t k) { return std::tanh(c0(n, k)); },
      "forget gate open");
  // i open, f closed: c = c~ = tanh(0.7), h = tanh(c).
  expect_all_steps(
      run({kOpen, -kOpen, 0.7f, kOpen}, c), [](int64_t, int64_t) { return std::tanh(std::tanh(0.7f)); },
      "input gate open");
  // Output gate closed: h = 0.
  expect_all_steps(
      run({kOpen, -kOpen, 0.7f, -kOpen}, c), [](int64_t, int64_t) { return 0.0f; }, "output gate closed");
}

TEST_F(RnnGateOrder, GruGatesAreUpdateResetOutputThenResetBias) {
  RnnCase c(CellKind::kGru, {3, 2, 2, 3}, true);
  // u open: h stays h0.
  expect_all_steps(
      run({kOpen, 0.0f, 0.2f, 0.5f}, c), [&](int64_t n, int64_t k) { return c.h0.data()[n * 3 + k]; },
      "update gate open");
  // u closed, r open: h = o = tanh(b_o + b_u').
  expect_all_steps(
      run({-kOpen, kOpen, 0.2f, 0.5f}, c), [](int64_t, int64_t) { return std::tanh(0.7f); },
      "reset gate open");
  // u closed, r closed: the reset product (and with it b_u') vanishes, h = tanh(b_o).
  expect_all_steps(
      run({-kOpen, -kOpen, 0.2f, 0.5f}, c), [](int64_t, int64_t) { return std::tanh(0.2f); },
      "reset gate closed");
}

TEST(RnnLayer, RegistersParametersInCanonicalLayouts) {
  ParamRegistry params;
  RnnLayer lstm(params, "dec/l1", CellKind::kLstm, 6, 5);
  RnnLayer gru(params, "enc/l0/bw", CellKind::kGru, 6, 5);
  RnnLayer rnn(params, "x", CellKind::kRnn, 6, 5);
  EXPECT_EQ(params.get("dec/l1/weights_layer").value.dims(), (Dims{6, 4, 5}));
  EXPECT_EQ(params.get("dec/l1/weights_iter").value.dims(), (Dims{5, 4, 5}));
  EXPECT_EQ(params.get("dec/l1/bias").value.dims(), (Dims{4, 5}));
  EXPECT_EQ(params.get("enc/l0/bw/weights_layer").value.dims(), (Dims{6, 3, 5}));
  EXPECT_EQ(params.get("enc/l0/bw/bias").value.dims(), (Dims{4, 5}));
  EXPECT_EQ(params.get("x/weights_iter").value.dims(), (Dims{5, 1, 5}));
  EXPECT_EQ(params.get("x/bias").value.dims(), (Dims{1, 5}));
  params.initialize(3);
  const float bound = 1.0f / std::sqrt(5.0f);
  for (const Parameter* p : params.all()) {
    const bool is_bias = p->name.size() >= 4 && p->name.compare(p->name.size() - 4, 4, "bias") == 0;
    for (int64_t i = 0; i < p->value.numel(); ++i) {
      if (is_bias) {
        ASSERT_EQ(p->value.data()[i], 0.0f) << p->name;
      } else {
        ASSERT_LE(std::abs(p->value.data()[i]), bound) << p->name;
      }
    }
  }
}

// Passes if `call` throws InternalError whose message contains `text`.
template <typename Call>
::testing::AssertionResult throws_mentioning(const Call& call, const std::string& text) {
  try {
    call();
  } catch (const InternalError& e) {
    if (std::string(e.what()).find(text) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "message '" << e.what() << "' lacks '" << text << "'";
  }
  return ::testing::AssertionFailure() << "nothing thrown";
}

TEST(RnnLayer, RejectsWrongShapes) {
  RnnCase c(CellKind::kGru, {3, 2, 4, 5}, true);
  RnnLayer& layer = c.layer;
  Tensor dst = c.sequence_output(), none, state = c.state();
  Tensor wrong_src({3, 2, 5}), wrong_dst({3, 2, 4}), wrong_state({2, 4});
  EXPECT_TRUE(throws_mentioning([&] { layer.forward_training(wrong_src, c.h0, none, dst); }, "RNN input"));
  EXPECT_TRUE(throws_mentioning([&] { layer.forward_training(c.src, c.h0, none, wrong_dst); }, "RNN output"));
  EXPECT_TRUE(throws_mentioning([&] { layer.forward_training(c.src, wrong_state, none, dst); }, "RNN h0"));
  EXPECT_TRUE(throws_mentioning([&] { layer.forward_training(c.src, c.h0, state, dst); }, "c0 given where"));
  EXPECT_TRUE(throws_mentioning([&] { layer.forward_inference(c.src, c.h0, none, dst, wrong_state, none); },
                                "final h"));
  EXPECT_TRUE(throws_mentioning(
      [&] {
        layer.forward_inference(c.src.reshaped({6, 4}), c.h0, none, dst, none, none);
      },
      "RNN input"));
  layer.forward_inference(c.src, c.h0, none, dst, state, none);
}

}  // namespace
}  // namespace ferry
