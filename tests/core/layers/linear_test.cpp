#include "core/layers/linear.h"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr int64_t kIn = 6, kOut = 4;
const Dims kInputDims = {3, 5, kIn};  // {T, N, in}: leading dims are flattened to rows

Tensor naive_forward(const Tensor& x, const Tensor& w, const Parameter* bias, bool use_tanh) {
  const int64_t rows = x.numel() / kIn;
  Tensor y({3, 5, kOut});
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < kOut; ++o) {
      double sum = bias ? bias->value.data()[o] : 0.0;
      for (int64_t i = 0; i < kIn; ++i)
        sum += static_cast<double>(x.data()[r * kIn + i]) * w.data()[i * kOut + o];
      y.data()[r * kOut + o] = static_cast<float>(use_tanh ? std::tanh(sum) : sum);
    }
  }
  return y;
}

// (with bias, tanh)
class LinearVariant : public ::testing::TestWithParam<std::tuple<bool, bool>> {
 protected:
  LinearVariant()
      : layer_(params_, "out", kIn, kOut, std::get<0>(GetParam()),
               std::get<1>(GetParam()) ? Linear::Activation::kTanh : Linear::Activation::kNone) {
    params_.initialize(3);
    if (layer_.bias()) fill_random(layer_.bias()->value, 4, 0.5f);
  }
  ParamRegistry params_;
  Linear layer_;
};

TEST_P(LinearVariant, ForwardMatchesNaive) {
  const Tensor x = random_tensor(kInputDims, 1);
  Tensor y;
  layer_.forward(x, y);
  EXPECT_TRUE(all_close(y, naive_forward(x, layer_.weight().value, layer_.bias(), std::get<1>(GetParam())),
                        1e-5, 1e-6));
}

TEST_P(LinearVariant, BackwardMatchesFiniteDifferences) {
  Tensor x = random_tensor(kInputDims, 2);
  const Tensor weights = random_tensor({3, 5, kOut}, 5);
  Tensor y, dx;
  layer_.forward(x, y);
  Tensor dy = weights.clone();
  params_.zero_grads();
  layer_.backward(x, y, dy, &dx);
  const auto loss = [&] {
    Tensor out;
    layer_.forward(x, out);
    return weighted_sum(out, weights);
  };
  EXPECT_TRUE(gradient_matches(x, dx, loss, "x"));
  EXPECT_TRUE(gradient_matches(layer_.weight().value, layer_.weight().grad, loss, "weight"));
  if (layer_.bias()) {
    EXPECT_TRUE(gradient_matches(layer_.bias()->value, layer_.bias()->grad, loss, "bias"));
  }
}

TEST_P(LinearVariant, BackwardAccumulatesIntoGradients) {
  const Tensor x = random_tensor(kInputDims, 6);
  Tensor y, dx_once;
  layer_.forward(x, y);
  Tensor dy = random_tensor({3, 5, kOut}, 7);
  const Tensor dy_saved = dy.clone();
  params_.zero_grads();
  layer_.backward(x, y, dy, &dx_once);
  const Tensor weight_once = layer_.weight().grad.clone();

  Tensor dx_twice = dx_once.clone();
  dy.copy_from(dy_saved);
  layer_.backward(x, y, dy, &dx_twice, WriteMode::kAccumulate);
  const auto doubled = [](const Tensor& t) {
    Tensor twice = t.clone();
    for (int64_t i = 0; i < twice.numel(); ++i) twice.data()[i] *= 2;
    return twice;
  };
  EXPECT_TRUE(all_close(dx_twice, doubled(dx_once), 1e-6, 1e-7));
  EXPECT_TRUE(all_close(layer_.weight().grad, doubled(weight_once), 1e-6, 1e-7));
}

INSTANTIATE_TEST_SUITE_P(BiasAndActivation, LinearVariant,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(Linear, RegistersScopedParametersWithGlorotInit) {
  ParamRegistry params;
  Linear with_bias(params, "dec/combine", 30, 20);
  Linear without_bias(params, "dec/out", 20, 10, false);
  EXPECT_TRUE(params.has("dec/combine/weight"));
  EXPECT_TRUE(params.has("dec/combine/bias"));
  EXPECT_FALSE(params.has("dec/out/bias"));
  EXPECT_EQ(without_bias.bias(), nullptr);
  EXPECT_EQ(params.get("dec/combine/weight").value.dims(), (Dims{30, 20}));
  params.initialize(1);
  const Tensor& w = params.get("dec/combine/weight").value;
  const float bound = std::sqrt(6.0f / 50.0f);
  float largest = 0;
  for (int64_t i = 0; i < w.numel(); ++i) largest = std::max(largest, std::abs(w.data()[i]));
  EXPECT_LE(largest, bound);
  EXPECT_GT(largest, 0.8f * bound);
}

TEST(Linear, RejectsWrongInputWidth) {
  ParamRegistry params;
  Linear layer(params, "l", 3, 2);
  Tensor y;
  EXPECT_THROW(layer.forward(Tensor({4, 5}), y), InternalError);
}

}  // namespace
}  // namespace ferry
