#include "core/ops/eltwise.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/numeric.h"

namespace ferry {
namespace {

// Big enough for the threaded path.
const Dims kLarge = {300, 130};

Tensor applied(const Tensor& x, void (*op)(Tensor&)) {
  Tensor y = x.clone();
  op(y);
  return y;
}

TEST(Eltwise, AddBiasMatchesNaive) {
  for (const Dims& dims : {Dims{4, 3, 5}, kLarge}) {
    const int64_t cols = dims.back();
    Tensor y = random_tensor(dims, 1);
    const Tensor bias = random_tensor({cols}, 2);
    Tensor expected = y.clone();
    for (int64_t i = 0; i < expected.numel(); ++i) expected.data()[i] += bias.data()[i % cols];
    add_bias(y, bias);
    EXPECT_TRUE(all_close(y, expected, 1e-6, 1e-7));
  }
}

TEST(Eltwise, BiasGradientMatchesFiniteDifferences) {
  for (const Dims& dims : {Dims{4, 3, 5}, Dims{7, 37}, kLarge}) {
    const int64_t cols = dims.back();
    const Tensor x = random_tensor(dims, 3);
    const Tensor weights = random_tensor(dims, 4);  // dL/dy
    Tensor bias = random_tensor({cols}, 5);
    Tensor bias_grad = random_tensor({cols}, 6);
    const Tensor before = bias_grad.clone();
    accumulate_bias_grad(weights, bias_grad);
    Tensor added({cols});
    for (int64_t c = 0; c < cols; ++c) added.data()[c] = bias_grad.data()[c] - before.data()[c];
    const auto loss = [&] {
      Tensor y = x.clone();
      add_bias(y, bias);
      return weighted_sum(y, weights);
    };
    EXPECT_TRUE(gradient_matches(bias, added, loss, "bias"));
  }
}

TEST(Eltwise, TanhAndSigmoidMatchNaive) {
  Tensor x = random_tensor(kLarge, 7, 4.0f);
  x.data()[0] = -100.0f;
  x.data()[1] = 100.0f;
  const Tensor th = applied(x, tanh_forward), sg = applied(x, sigmoid_forward);
  Tensor expected_th(kLarge), expected_sg(kLarge);
  for (int64_t i = 0; i < x.numel(); ++i) {
    const double v = x.data()[i];
    expected_th.data()[i] = static_cast<float>(std::tanh(v));
    expected_sg.data()[i] = static_cast<float>(1.0 / (1.0 + std::exp(-v)));
  }
  EXPECT_TRUE(all_close(th, expected_th, 1e-5, 1e-6));
  EXPECT_TRUE(all_close(sg, expected_sg, 1e-5, 1e-6));
}

TEST(Eltwise, TanhAndSigmoidBackwardMatchFiniteDifferences) {
  for (auto [forward, backward] :
       {std::pair{tanh_forward, tanh_backward}, {sigmoid_forward, sigmoid_backward}}) {
    for (const Dims& dims : {Dims{3, 4, 5}, kLarge}) {
      Tensor x = random_tensor(dims, 8, 2.0f);
      const Tensor weights = random_tensor(dims, 9);
      const Tensor y = applied(x, forward);
      Tensor grad = weights.clone();
      backward(y, grad);
      const auto loss = [&] { return weighted_sum(applied(x, forward), weights); };
      EXPECT_TRUE(gradient_matches(x, grad, loss, "activation input"));
    }
  }
}

}  // namespace
}  // namespace ferry
