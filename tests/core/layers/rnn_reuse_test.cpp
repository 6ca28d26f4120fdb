// RnnLayer's caches: weight updates reach every pass, repeated shapes create and reorder nothing, alternating
// shapes keep their own results, and the decoder's one-step path agrees with the whole-sequence path.
#include <gtest/gtest.h>

#include "core/layers/rnn.h"
#include "support/numeric.h"
#include "support/rnn_case.h"
#include "support/scoped_rnn_kernel.h"

namespace ferry {
namespace {

// Everything one training step and one validation pass produce at the case's shape.
struct PassResults {
  Tensor trained, d_src, inferred;
  std::vector<Tensor> grads;
};

// Runs the case's layer over these inputs (with the case's parameters).
PassResults run_passes(RnnCase& c, const Tensor& src, const Tensor& h0, const Tensor& c0) {
  const Dims output_dims = {src.dim(0), src.dim(1), c.shape.hidden};
  PassResults r{Tensor(output_dims), Tensor(src.dims()), Tensor(output_dims), {}};
  Tensor none;
  c.params.zero_grads();
  c.layer.forward_training(src, h0, c0, r.trained);
  c.layer.backward(random_tensor(output_dims, 5), r.d_src, none, none);
  c.layer.forward_inference(src, h0, c0, r.inferred, none, none);
  for (const Parameter* p : c.params.all()) r.grads.push_back(p->grad.clone());
  return r;
}

PassResults run_passes(RnnCase& c) { return run_passes(c, c.src, c.h0, c.c0); }

void expect_bitwise_equal(const PassResults& actual, const PassResults& expected) {
  EXPECT_TRUE(bitwise_equal(actual.trained, expected.trained)) << "forward_training";
  EXPECT_TRUE(bitwise_equal(actual.d_src, expected.d_src)) << "d_src";
  EXPECT_TRUE(bitwise_equal(actual.inferred, expected.inferred)) << "forward_inference";
  for (size_t i = 0; i < expected.grads.size(); ++i) {
    EXPECT_TRUE(bitwise_equal(actual.grads[i], expected.grads[i])) << "gradient " << i;
  }
}

// The RNN primitive's caches (MatmulLstm's are tested in matmul_lstm_test.cpp).
class RnnReuse : public ::testing::TestWithParam<CellKind> {
 protected:
  ScopedRnnKernel kernel_{RnnTrainingKernel::kPrimitive};
};

TEST_P(RnnReuse, WeightUpdatesReachEveryPass) {
  const RnnShape shape{3, 2, 4, 5};
  RnnCase c(GetParam(), shape, true);
  run_passes(c);
  Tensor step_src = c.src.slice(0, 1), step_dst({1, shape.batch, shape.hidden}), none;
  c.layer.forward_inference(step_src, c.h0, c.c0, step_dst, none, none);

  // An optimizer-like update of every parameter.
  for (Parameter* p : c.params.all()) {
    const Tensor delta = random_tensor(p->value.dims(), 9, 0.3f);
    for (int64_t i = 0; i < delta.numel(); ++i) p->value.data()[i] += delta.data()[i];
  }
  c.parameters_changed();
  const PassResults updated = run_passes(c);

  const RnnReferenceOutput expected = c.reference();
  EXPECT_TRUE(all_close(updated.trained, expected.dst, 1e-5, 1e-6));
  EXPECT_TRUE(all_close(updated.inferred, expected.dst, 1e-5, 1e-6));
  c.layer.forward_inference(step_src, c.h0, c.c0, step_dst, none, none);
  EXPECT_TRUE(all_close(step_dst, expected.dst.slice(0, 1), 1e-5, 1e-6)) << "one-step inference";

  // The backward pass of a layer that has only ever seen the updated values.
  RnnCase fresh(GetParam(), shape, true);
  for (size_t i = 0; i < c.params.size(); ++i)
    fresh.params.all()[i]->value.copy_from(c.params.all()[i]->value);
  fresh.parameters_changed();
  expect_bitwise_equal(updated, run_passes(fresh));
}

TEST_P(RnnReuse, RepeatedCallsCreateAndReorderNothing) {
  RnnCase c(GetParam(), {4, 3, 6, 5}, true);
  const PassResults first = run_passes(c);
  const int64_t primitives = c.layer.primitive_count();
  const int64_t reorders = c.layer.weight_reorder_count();
  EXPECT_EQ(primitives, 3) << "forward_training, backward and forward_inference";
  for (int i = 0; i < 3; ++i) expect_bitwise_equal(run_passes(c), first);
  EXPECT_EQ(c.layer.primitive_count(), primitives);
  EXPECT_EQ(c.layer.weight_reorder_count(), reorders);

  c.parameters_changed();
  run_passes(c);
  const int64_t after_update = c.layer.weight_reorder_count();
  EXPECT_GT(after_update, reorders);
  EXPECT_LE(after_update, 2 * reorders) << "at most one reorder per layout and update";
  run_passes(c);
  EXPECT_EQ(c.layer.weight_reorder_count(), after_update);
  EXPECT_EQ(c.layer.primitive_count(), primitives);
}

TEST_P(RnnReuse, AlternatingShapesKeepTheirOwnResults) {
  // Same seed and widths: the three cases hold the same parameter values.
  RnnCase a(GetParam(), {6, 3, 4, 5}, true), b(GetParam(), {2, 7, 4, 5}, false),
      mixed(GetParam(), {6, 3, 4, 5}, true);
  const PassResults expected_a = run_passes(a), expected_b = run_passes(b);
  for (int round = 0; round < 3; ++round) {
    expect_bitwise_equal(run_passes(mixed, a.src, a.h0, a.c0), expected_a);
    expect_bitwise_equal(run_passes(mixed, b.src, b.h0, b.c0), expected_b);
  }
  EXPECT_EQ(mixed.layer.primitive_count(), 6);
}

TEST_P(RnnReuse, ManyShapesKeepTheCacheBoundedAndEvictedShapesStillRight) {
  const RnnShape shape{2, 1, 4, 5};
  RnnCase c(GetParam(), shape, false);
  Tensor none;
  const auto infer = [&](int64_t batch) {
    Tensor dst({shape.steps, batch, shape.hidden});
    c.layer.forward_inference(random_tensor({shape.steps, batch, shape.input}, 3), none, none, dst, none, none);
    return dst;
  };
  const Tensor first = infer(1);
  const auto shapes = static_cast<int64_t>(RnnLayer::kPrimitiveCapacity) + 10;
  for (int64_t batch = 2; batch <= shapes; ++batch) infer(batch);
  EXPECT_EQ(c.layer.primitive_count(), static_cast<int64_t>(RnnLayer::kPrimitiveCapacity));
  EXPECT_TRUE(bitwise_equal(infer(1), first)) << "the evicted shape, made again";
}

// The decoder's search path: T = 1 steps with the state updated in place give the whole-sequence results.
TEST_P(RnnReuse, OneStepPathMatchesWholeSequence) {
  const RnnShape shape{5, 6, 4, 8};
  RnnCase c(GetParam(), shape, true);
  const bool lstm = has_cell_state(c.cell);
  Tensor whole = c.sequence_output(), h_last = c.state(), c_last, none;
  if (lstm) c_last = c.state();
  c.layer.forward_inference(c.src, c.h0, c.c0, whole, h_last, c_last);

  Tensor h = c.h0.clone(), cell_state = lstm ? c.c0.clone() : Tensor(),
         step_dst({1, shape.batch, shape.hidden});
  int64_t primitives = 0, reorders = 0;
  for (int64_t t = 0; t < shape.steps; ++t) {
    c.layer.forward_inference(c.src.slice(t, t + 1), h, cell_state, step_dst, h, cell_state);
    EXPECT_TRUE(all_close(step_dst, whole.slice(t, t + 1), 1e-6, 1e-7)) << "step " << t;
    if (t == 0) {
      primitives = c.layer.primitive_count();
      reorders = c.layer.weight_reorder_count();
    }
  }
  EXPECT_TRUE(all_close(h, h_last, 1e-6, 1e-7));
  if (lstm) {
    EXPECT_TRUE(all_close(cell_state, c_last, 1e-6, 1e-7));
  }
  EXPECT_EQ(c.layer.primitive_count(), primitives);
  EXPECT_EQ(c.layer.weight_reorder_count(), reorders);
}

INSTANTIATE_TEST_SUITE_P(RnnCells, RnnReuse,
                         ::testing::Values(CellKind::kLstm, CellKind::kGru, CellKind::kRnn),
                         [](const ::testing::TestParamInfo<CellKind>& info) {
                           return cell_name(info.param);
                         });

}  // namespace
}  // namespace ferry
