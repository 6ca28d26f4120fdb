// RnnLayer's step-wise training (begin_steps / forward_step / backward_step) against its whole-sequence
// training, whose gradients rnn_gradient_test checks against finite differences: the same outputs, input
// gradients, initial-state gradients and parameter gradients, with the state's gradient carried from step to
// step; and the order the calls must come in.
#include <gtest/gtest.h>

#include <vector>

#include "core/layers/rnn.h"
#include "support/numeric.h"
#include "support/rnn_case.h"
#include "util/error.h"

namespace ferry {
namespace {

class RnnSteps : public ::testing::TestWithParam<RnnCaseParam> {};

TEST_P(RnnSteps, MatchWholeSequenceTraining) {
  const auto& [cell, shape, with_state] = GetParam();
  RnnCase c(cell, shape, with_state);
  const bool lstm = has_cell_state(cell);
  const Tensor loss_weights = random_tensor(c.sequence_output().dims(), 77);

  // The whole sequence at once.
  Tensor dst = c.sequence_output(), d_src(c.src.dims()), d_h0, d_c0;
  if (with_state) d_h0 = c.state();
  if (with_state && lstm) d_c0 = c.state();
  c.params.zero_grads();
  c.layer.forward_training(c.src, c.h0, c.c0, dst);
  c.layer.backward(loss_weights, d_src, d_h0, d_c0);
  std::vector<Tensor> grads;
  for (Parameter* p : c.params.all()) grads.push_back(p->grad.clone());

  // Step by step.
  const int64_t T = shape.steps, N = shape.batch;
  c.params.zero_grads();
  c.layer.begin_steps(T, N, c.h0, c.c0);
  Tensor h = c.state();
  for (int64_t t = 0; t < T; ++t) {
    c.layer.forward_step(c.src.slice(t, t + 1).reshaped({N, shape.input}), h);
    EXPECT_TRUE(all_close(h, dst.slice(t, t + 1).reshaped({N, shape.hidden}), 1e-6, 1e-7)) << "step " << t;
  }
  Tensor step_d_src({N, shape.input});
  for (int64_t t = T; t-- > 0;) {
    c.layer.backward_step(loss_weights.slice(t, t + 1).reshaped({N, shape.hidden}), step_d_src);
    EXPECT_TRUE(all_close(step_d_src, d_src.slice(t, t + 1).reshaped({N, shape.input}), 1e-5, 1e-6))
        << "input gradient of step " << t;
  }
  Tensor step_d_h0 = c.state(), step_d_c0 = lstm ? c.state() : Tensor();
  c.layer.initial_state_gradient(step_d_h0, step_d_c0);
  if (with_state) {
    EXPECT_TRUE(all_close(step_d_h0, d_h0, 1e-5, 1e-6));
    if (lstm) {
      EXPECT_TRUE(all_close(step_d_c0, d_c0, 1e-5, 1e-6));
    }
  }
  for (size_t i = 0; i < grads.size(); ++i)
    EXPECT_TRUE(all_close(c.params.all()[i]->grad, grads[i], 1e-5, 1e-6)) << c.params.all()[i]->name;
}

// Recurrent dropout: each step receives the state before it (h0 at step 0) times the mask; the outputs stay
// unmasked. The forward against the reference run a step at a time on masked states; the gradients of the
// inputs, of h0 and c0 and of every parameter against finite differences.
TEST_P(RnnSteps, ARecurrentMaskMultipliesTheStateEachStepReceives) {
  const auto& [cell, shape, with_state] = GetParam();
  RnnCase c(cell, shape, with_state);
  const bool lstm = has_cell_state(cell);
  const int64_t T = shape.steps, N = shape.batch, H = shape.hidden;
  Tensor mask = random_tensor({N, H}, 31);
  for (int64_t i = 0; i < mask.numel(); ++i) mask.data()[i] = mask.data()[i] > 0.0f ? 2.0f : 0.0f;
  const Tensor loss_weights = random_tensor({T, N, H}, 78);

  Tensor h_before = with_state ? c.h0.clone() : c.state(), c_before = with_state && lstm ? c.c0.clone() : c.state();
  const Tensor wl = c.params.get("test/rnn/weights_layer").value, wi = c.params.get("test/rnn/weights_iter").value;
  const Tensor b = c.params.get("test/rnn/bias").value;
  std::vector<Tensor> expected;
  for (int64_t t = 0; t < T; ++t) {
    Tensor received = h_before.clone();
    for (int64_t i = 0; i < received.numel(); ++i) received.data()[i] *= mask.data()[i];
    const RnnReferenceOutput ref =
        rnn_reference_forward(cell, wl, wi, b, c.src.slice(t, t + 1), received, lstm ? c_before : Tensor());
    expected.push_back(ref.h_last.clone());
    h_before = ref.h_last.clone();
    if (lstm) c_before = ref.c_last.clone();
  }

  // The loss sum(loss_weights * h) over the steps, run forward (and, with `backward`, back).
  Tensor d_src({T, N, shape.input}), d_h0 = c.state(), d_c0 = lstm ? c.state() : Tensor();
  const auto run = [&](bool backward, bool check_outputs) {
    c.layer.begin_steps(T, N, c.h0, c.c0, mask);
    double loss = 0;
    Tensor h = c.state();
    for (int64_t t = 0; t < T; ++t) {
      c.layer.forward_step(c.src.slice(t, t + 1).reshaped({N, shape.input}), h);
      if (check_outputs) {
        EXPECT_TRUE(all_close(h, expected[static_cast<size_t>(t)], 1e-5, 1e-6)) << "step " << t;
      }
      const Tensor w = loss_weights.slice(t, t + 1);
      for (int64_t i = 0; i < h.numel(); ++i) loss += static_cast<double>(w.data()[i]) * h.data()[i];
    }
    if (backward) {
      Tensor step_d_src({N, shape.input});
      for (int64_t t = T; t-- > 0;) {
        c.layer.backward_step(loss_weights.slice(t, t + 1).reshaped({N, H}), step_d_src);
        d_src.slice(t, t + 1).copy_from(step_d_src.reshaped({1, N, shape.input}));
      }
      Tensor none;
      c.layer.initial_state_gradient(with_state ? d_h0 : none, with_state && lstm ? d_c0 : none);
    }
    return loss;
  };
  run(false, true);
  c.params.zero_grads();
  run(true, false);
  const auto loss = [&] { return run(false, false); };
  EXPECT_TRUE(every_gradient_element_matches(c.src, d_src, loss, "src"));
  if (with_state) {
    EXPECT_TRUE(every_gradient_element_matches(c.h0, d_h0, loss, "h0"));
    if (lstm) {
      EXPECT_TRUE(every_gradient_element_matches(c.c0, d_c0, loss, "c0"));
    }
  }
  EXPECT_TRUE(every_parameter_gradient_matches(c.params, loss));
}

const RnnShape kStepShapes[] = {
    {3, 2, 3, 4},
    {4, 3, 5, 5},
    {1, 1, 2, 3},
};

INSTANTIATE_TEST_SUITE_P(RnnCells, RnnSteps,
                         ::testing::Combine(::testing::Values(CellKind::kLstm, CellKind::kGru,
                                                              CellKind::kRnn),
                                            ::testing::ValuesIn(kStepShapes), ::testing::Bool()),
                         [](const auto& info) { return case_name(info.param); });

TEST(RnnStepsOrder, IsForwardThenBackwardOverEveryStep) {
  RnnCase c(CellKind::kLstm, {2, 2, 3, 4}, true);
  Tensor h = c.state(), d_h = c.state(), d_src({2, 3}), d_h0 = c.state(), d_c0 = c.state();
  const Tensor x = c.src.slice(0, 1).reshaped({2, 3});
  c.layer.begin_steps(2, 2, c.h0, c.c0);
  c.layer.forward_step(x, h);
  EXPECT_THROW(c.layer.backward_step(d_h, d_src), InternalError) << "a step not yet run forward";
  c.layer.forward_step(x, h);
  EXPECT_THROW(c.layer.forward_step(x, h), InternalError) << "a third step of two";
  c.layer.backward_step(d_h, d_src);
  EXPECT_THROW(c.layer.initial_state_gradient(d_h0, d_c0), InternalError) << "a step not yet back";
  c.layer.backward_step(d_h, d_src);
  EXPECT_THROW(c.layer.backward_step(d_h, d_src), InternalError) << "every step already back";
  c.layer.initial_state_gradient(d_h0, d_c0);
}

}  // namespace
}  // namespace ferry
