// bf16 computation (model.precision: bf16): the RNN layers and matrix products agree with f32 within what
// bf16's 8-bit mantissa allows, and their gradients too.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/layers/linear.h"
#include "core/layers/rnn.h"
#include "core/ops/convert.h"
#include "core/ops/matmul.h"
#include "support/numeric.h"
#include "support/scoped_rnn_kernel.h"
#include "util/error.h"

namespace ferry {
namespace {

// ||a - b|| / ||b||
double relative_difference(const Tensor& a, const Tensor& b) {
  double diff = 0, norm = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    diff += std::pow(static_cast<double>(a.data()[i]) - b.data()[i], 2);
    norm += std::pow(static_cast<double>(b.data()[i]), 2);
  }
  return std::sqrt(diff / norm);
}

Tensor rounded_to_bf16(const Tensor& t) {
  Tensor b(t.dims(), DType::kBF16), back(t.dims());
  convert(t, b);
  convert(b, back);
  return back;
}

TEST(Bf16Compute, MatmulOfBf16OperandsIsExactUpToF32Accumulation) {
  const Tensor a = random_tensor({2, 37, 64}, 1), b = random_tensor({2, 64, 29}, 2);
  Tensor a16(a.dims(), DType::kBF16), b16(b.dims(), DType::kBF16);
  convert(a, a16);
  convert(b, b16);
  Tensor c({2, 37, 29}), expected({2, 37, 29});
  matmul(matrix(a16), matrix(b16), matrix(c));
  // The products of bf16 values are exact in f32: compare with the f32 product of the rounded operands.
  matmul(matrix(rounded_to_bf16(a)), matrix(rounded_to_bf16(b)), matrix(expected));
  EXPECT_TRUE(all_close(c, expected, 1e-5, 1e-5));
  EXPECT_THROW(matmul(matrix(a16), matrix(b), matrix(c)), InternalError);
}

class Bf16Rnn : public ::testing::TestWithParam<CellKind> {};

TEST_P(Bf16Rnn, ForwardAndGradientsCloseToF32) {
  const CellKind cell = GetParam();
  const int64_t T = 9, N = 6, I = 48, H = 40;
  ParamRegistry f32_params, bf16_params;
  RnnLayer f32_layer(f32_params, "rnn", cell, I, H);
  RnnLayer bf16_layer(bf16_params, "rnn", cell, I, H, Precision::kBf16);
  f32_params.initialize(3);
  bf16_params.initialize(3);
  const Tensor src = random_tensor({T, N, I}, 4), d_dst = random_tensor({T, N, H}, 5);
  const Tensor h0 = random_tensor({N, H}, 6, 0.5f);
  const Tensor c0 = cell == CellKind::kLstm ? random_tensor({N, H}, 7, 0.5f) : Tensor();

  Tensor f32_out({T, N, H}), bf16_out({T, N, H});
  f32_layer.forward_training(src, h0, c0, f32_out);
  bf16_layer.forward_training(src, h0, c0, bf16_out);
  EXPECT_LT(relative_difference(bf16_out, f32_out), 2e-2);

  Tensor f32_d_src({T, N, I}), bf16_d_src({T, N, I}), f32_d_h0({N, H}), bf16_d_h0({N, H});
  Tensor f32_d_c0 = c0.empty() ? Tensor() : Tensor({N, H}),
         bf16_d_c0 = c0.empty() ? Tensor() : Tensor({N, H});
  f32_layer.backward(d_dst, f32_d_src, f32_d_h0, f32_d_c0);
  bf16_layer.backward(d_dst, bf16_d_src, bf16_d_h0, bf16_d_c0);
  EXPECT_LT(relative_difference(bf16_d_src, f32_d_src), 3e-2);
  EXPECT_LT(relative_difference(bf16_d_h0, f32_d_h0), 3e-2);
  for (const Parameter* p : f32_params.all()) {
    EXPECT_LT(relative_difference(bf16_params.get(p->name).grad, p->grad), 3e-2) << p->name;
  }

  // Inference, state updated in place as the search does it.
  Tensor f32_h = h0.clone(), bf16_h = h0.clone(), f32_c = c0.empty() ? Tensor() : c0.clone(),
         bf16_c = c0.empty() ? Tensor() : c0.clone();
  Tensor f32_step({1, N, H}), bf16_step({1, N, H});
  const Tensor step_src = src.slice(0, 1);
  f32_layer.forward_inference(step_src, f32_h, f32_c, f32_step, f32_h, f32_c);
  bf16_layer.forward_inference(step_src, bf16_h, bf16_c, bf16_step, bf16_h, bf16_c);
  EXPECT_LT(relative_difference(bf16_step, f32_step), 2e-2);
  EXPECT_LT(relative_difference(bf16_h, f32_h), 2e-2);
  EXPECT_TRUE(all_close(bf16_h, bf16_step.reshaped({N, H}), 0.0)) << "final h is the last output";
}

// The two LSTM training kernels in bf16 at the reference decoder's widths, where threads split the passes:
// both round the same operands to bf16, so they agree far more closely than either does with f32.
TEST(Bf16Lstm, MatmulKernelCloseToThePrimitive) {
  const int64_t T = 5, N = 64, I = 256, H = 512;
  ParamRegistry params;
  RnnLayer layer(params, "rnn", CellKind::kLstm, I, H, Precision::kBf16);
  params.initialize(3);
  const Tensor src = random_tensor({T, N, I}, 4), d_dst = random_tensor({T, N, H}, 5);
  const Tensor h0 = random_tensor({N, H}, 6, 0.5f), c0 = random_tensor({N, H}, 7, 0.5f);
  struct Result {
    Tensor out, d_src, d_h0, d_c0;
    std::vector<Tensor> grads;
  };
  const auto run = [&](RnnTrainingKernel kernel) {
    ScopedRnnKernel scope(kernel);
    Result r{Tensor({T, N, H}), Tensor({T, N, I}), Tensor({N, H}), Tensor({N, H}), {}};
    params.zero_grads();
    layer.forward_training(src, h0, c0, r.out);
    layer.backward(d_dst, r.d_src, r.d_h0, r.d_c0);
    for (const Parameter* p : params.all()) r.grads.push_back(p->grad.clone());
    return r;
  };
  const Result matmul = run(RnnTrainingKernel::kMatmul), primitive = run(RnnTrainingKernel::kPrimitive);
  EXPECT_LT(relative_difference(matmul.out, primitive.out), 5e-3);
  EXPECT_LT(relative_difference(matmul.d_src, primitive.d_src), 1e-2);
  EXPECT_LT(relative_difference(matmul.d_h0, primitive.d_h0), 1e-2);
  EXPECT_LT(relative_difference(matmul.d_c0, primitive.d_c0), 1e-2);
  for (size_t i = 0; i < matmul.grads.size(); ++i) {
    EXPECT_LT(relative_difference(matmul.grads[i], primitive.grads[i]), 1e-2) << params.all()[i]->name;
  }
}

// Step-wise training (input feeding) in bf16 keeps its states in bf16 between steps as the whole sequence
// does: both agree, outputs and gradients.
TEST_P(Bf16Rnn, StepsCloseToTheWholeSequence) {
  const CellKind cell = GetParam();
  const int64_t T = 5, N = 4, I = 24, H = 16;
  ParamRegistry params;
  RnnLayer layer(params, "rnn", cell, I, H, Precision::kBf16);
  params.initialize(3);
  const Tensor src = random_tensor({T, N, I}, 4), d_dst = random_tensor({T, N, H}, 5);
  const Tensor h0 = random_tensor({N, H}, 6, 0.5f);
  const Tensor c0 = cell == CellKind::kLstm ? random_tensor({N, H}, 7, 0.5f) : Tensor();
  Tensor whole_out({T, N, H}), whole_d_src({T, N, I}), none;
  params.zero_grads();
  layer.forward_training(src, h0, c0, whole_out);
  layer.backward(d_dst, whole_d_src, none, none);
  std::vector<Tensor> whole_grads;
  for (const Parameter* p : params.all()) whole_grads.push_back(p->grad.clone());

  params.zero_grads();
  Tensor step_out({T, N, H}), step_d_src({T, N, I});
  layer.begin_steps(T, N, h0, c0);
  for (int64_t t = 0; t < T; ++t) {
    Tensor h = step_out.slice(t, t + 1).reshaped({N, H});
    layer.forward_step(src.slice(t, t + 1).reshaped({N, I}), h);
  }
  for (int64_t t = T; t-- > 0;) {
    Tensor d_src = step_d_src.slice(t, t + 1).reshaped({N, I});
    layer.backward_step(d_dst.slice(t, t + 1).reshaped({N, H}), d_src);
  }
  EXPECT_LT(relative_difference(step_out, whole_out), 1e-2);
  EXPECT_LT(relative_difference(step_d_src, whole_d_src), 2e-2);
  for (size_t i = 0; i < whole_grads.size(); ++i)
    EXPECT_LT(relative_difference(params.all()[i]->grad, whole_grads[i]), 2e-2) << params.all()[i]->name;
}

INSTANTIATE_TEST_SUITE_P(Cells, Bf16Rnn, ::testing::Values(CellKind::kLstm, CellKind::kGru, CellKind::kRnn),
                         [](const auto& info) {
                           return std::string(info.param == CellKind::kLstm  ? "lstm"
                                              : info.param == CellKind::kGru ? "gru"
                                                                             : "rnn");
                         });

TEST(Bf16Compute, LinearForwardAndBackwardCloseToF32) {
  ParamRegistry f32_params, bf16_params;
  Linear f32_layer(f32_params, "l", 96, 70, true, Linear::Activation::kTanh);
  Linear bf16_layer(bf16_params, "l", 96, 70, true, Linear::Activation::kTanh, Precision::kBf16);
  f32_params.initialize(8);
  bf16_params.initialize(8);
  const Tensor x = random_tensor({5, 11, 96}, 9);
  Tensor f32_y, bf16_y;
  f32_layer.forward(x, f32_y);
  bf16_layer.forward(x, bf16_y);
  EXPECT_LT(relative_difference(bf16_y, f32_y), 1e-2);
  Tensor f32_dy = random_tensor({5, 11, 70}, 10), bf16_dy = f32_dy.clone(), f32_dx, bf16_dx;
  f32_layer.backward(x, f32_y, f32_dy, &f32_dx);
  bf16_layer.backward(x, bf16_y, bf16_dy, &bf16_dx);
  EXPECT_LT(relative_difference(bf16_dx, f32_dx), 2e-2);
  EXPECT_LT(relative_difference(bf16_params.get("l/weight").grad, f32_params.get("l/weight").grad), 2e-2);
}

}  // namespace
}  // namespace ferry
