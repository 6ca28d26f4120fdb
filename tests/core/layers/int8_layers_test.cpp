// Layers with 8-bit weights (precision int8): the RNN layer's inference pass and the linear layer against the
// same layers in f32, the RNN's whole sequence against its steps one by one, quantization following
// parameter changes, the quantized copy shared between networks on the same storage, and training refused.
// The exact quantized arithmetic of a whole decoder step is checked against a naive reference in
// tests/model/int8_step_test.cpp.
#include <gtest/gtest.h>

#include "core/context.h"
#include "core/layers/int8_weight.h"
#include "core/layers/linear.h"
#include "core/layers/rnn.h"
#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

const CellKind kCells[] = {CellKind::kLstm, CellKind::kGru, CellKind::kRnn};

class Int8Layers : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Context::has_int8_dot_products()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  }
};

// Copies every parameter value of `from` into the same-named parameter of `to`.
void copy_parameters(const ParamRegistry& from, ParamRegistry& to) {
  for (Parameter* p : to.all()) {
    p->value.copy_from(from.get(p->name).value);
    p->changed();
  }
}

// An RNN layer at each precision over the same parameters.
struct RnnPair {
  RnnPair(CellKind cell, int64_t input, int64_t hidden)
      : f32_layer(f32_params, "rnn", cell, input, hidden, Precision::kF32),
        int8_layer(int8_params, "rnn", cell, input, hidden, Precision::kInt8) {
    for (Parameter* p : f32_params.all()) fill_random(p->value, 7 + p->value.numel(), 0.4f);
    for (Parameter* p : f32_params.all()) p->changed();
    copy_parameters(f32_params, int8_params);
  }
  ParamRegistry f32_params, int8_params;
  RnnLayer f32_layer, int8_layer;
};

TEST_F(Int8Layers, RnnInferenceFollowsF32) {
  constexpr int64_t T = 4, N = 3, I = 24, H = 16;
  for (const CellKind cell : kCells) {
    RnnPair pair(cell, I, H);
    const Tensor src = random_tensor({T, N, I}, 2), h0 = random_tensor({N, H}, 3, 0.5f);
    const Tensor c0 = has_cell_state(cell) ? random_tensor({N, H}, 4, 0.5f) : Tensor();
    Tensor f32_out({T, N, H}), int8_out({T, N, H}), f32_h({N, H}), int8_h({N, H});
    Tensor f32_c = has_cell_state(cell) ? Tensor({N, H}) : Tensor();
    Tensor int8_c = has_cell_state(cell) ? Tensor({N, H}) : Tensor();
    pair.f32_layer.forward_inference(src, h0, c0, f32_out, f32_h, f32_c);
    pair.int8_layer.forward_inference(src, h0, c0, int8_out, int8_h, int8_c);
    // Half a level (1/254 of a row's or column's range) per operand, over sums of 40 terms.
    EXPECT_TRUE(all_close(int8_out, f32_out, 0, 0.03)) << cell_name(cell);
    EXPECT_TRUE(all_close(int8_h, f32_h, 0, 0.03)) << cell_name(cell);
    if (has_cell_state(cell)) {
      EXPECT_TRUE(all_close(int8_c, f32_c, 0, 0.03)) << cell_name(cell);
    }
    // Outputs near zero would make the comparison above pass whatever the weights: they must not be.
    EXPECT_FALSE(all_close(int8_out, Tensor({T, N, H}), 0, 0.05)) << cell_name(cell);
  }
}

TEST_F(Int8Layers, RnnSequenceIsItsStepsOneByOne) {
  constexpr int64_t T = 5, N = 2, I = 12, H = 8;
  for (const CellKind cell : kCells) {
    RnnPair pair(cell, I, H);
    const Tensor src = random_tensor({T, N, I}, 5);
    Tensor whole({T, N, H}), none_h, none_c;
    pair.int8_layer.forward_inference(src, Tensor(), Tensor(), whole, none_h, none_c);
    // The same steps one at a time, the state updated in place (as the search does).
    Tensor h({N, H}), c = has_cell_state(cell) ? Tensor({N, H}) : Tensor(), step_out({1, N, H});
    for (int64_t t = 0; t < T; ++t) {
      pair.int8_layer.forward_inference(src.slice(t, t + 1), h, c, step_out, h, c);
      EXPECT_TRUE(all_close(step_out.data(), whole.data() + t * N * H, N * H, 0, 1e-6))
          << cell_name(cell) << " step " << t;
    }
  }
}

TEST_F(Int8Layers, RnnRefusesTraining) {
  RnnPair pair(CellKind::kLstm, 4, 3);
  Tensor src = random_tensor({2, 1, 4}, 1), dst({2, 1, 3});
  EXPECT_THROW(pair.int8_layer.forward_training(src, Tensor(), Tensor(), dst), InternalError);
}

TEST_F(Int8Layers, LinearFollowsF32AndItsParameterChanges) {
  ParamRegistry f32_params, int8_params;
  Linear f32_layer(f32_params, "l", 40, 24, true, Linear::Activation::kTanh, Precision::kF32);
  Linear int8_layer(int8_params, "l", 40, 24, true, Linear::Activation::kTanh, Precision::kInt8);
  for (Parameter* p : f32_params.all()) fill_random(p->value, 11 + p->value.numel(), 0.3f);
  copy_parameters(f32_params, int8_params);
  const Tensor x = random_tensor({2, 3, 40}, 12);
  Tensor f32_y, int8_y;
  f32_layer.forward(x, f32_y);
  int8_layer.forward(x, int8_y);
  EXPECT_EQ(int8_y.dims(), (Dims{2, 3, 24}));
  EXPECT_TRUE(all_close(int8_y, f32_y, 0, 0.02));

  // New weights are quantized again at the next forward.
  for (Parameter* p : f32_params.all()) fill_random(p->value, 13 + p->value.numel(), 0.3f);
  copy_parameters(f32_params, int8_params);
  f32_layer.forward(x, f32_y);
  int8_layer.forward(x, int8_y);
  EXPECT_TRUE(all_close(int8_y, f32_y, 0, 0.02));

  Tensor dy = int8_y.clone();
  EXPECT_THROW(int8_layer.backward(x, int8_y, dy, nullptr), InternalError);
}

TEST_F(Int8Layers, WeightsOnTheSameStorageShareTheQuantizedCopy) {
  ParamRegistry params;
  Parameter& weight = params.add("w", {40, 24}, Init::uniform(0.5f));
  for (Parameter* p : params.all()) fill_random(p->value, 15, 0.3f);
  ParamRegistry shared(false, &params);  // a second network's registry on the first's values
  Parameter& other = shared.add("w", {40, 24}, Init::uniform(0.5f));
  Int8Weight a(weight), b(other), rows_apart(weight, 1, 39), transposed(weight, true);
  const Tensor x = random_tensor({3, 40}, 16);
  Tensor products_a, products_b, scales_a, scales_b, unused, unused_scales;
  a.multiply(x, products_a, scales_a);
  b.multiply(x, products_b, scales_b);
  rows_apart.multiply(random_tensor({3, 39}, 17), unused, unused_scales);
  transposed.multiply(random_tensor({3, 24}, 18), unused, unused_scales);
  ASSERT_NE(a.quantized_data(), nullptr);
  EXPECT_EQ(a.quantized_data(), b.quantized_data());
  EXPECT_NE(a.quantized_data(), rows_apart.quantized_data());
  EXPECT_NE(a.quantized_data(), transposed.quantized_data());
  EXPECT_TRUE(all_close(products_a, products_b, 0, 0));
  // A new version is quantized anew for the one that multiplies next; the other keeps its copy till then.
  weight.value.data()[0] += 1.0f;
  weight.changed();
  const void* before = b.quantized_data();
  a.multiply(x, products_a, scales_a);
  EXPECT_EQ(b.quantized_data(), before);
  EXPECT_NE(a.quantized_data(), before);
}

}  // namespace
}  // namespace ferry
