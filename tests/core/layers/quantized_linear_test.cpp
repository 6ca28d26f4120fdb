#include "core/layers/quantized_linear.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/context.h"
#include "core/ops/quantize.h"
#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

const int8_t* int8_data(const Tensor& t) { return static_cast<const int8_t*>(t.raw()); }

// The integer products of x and the weight's own quantization, times the column scales, in double.
Tensor naive_products(const Tensor& x_q, const MatrixView& w) {
  Tensor w_q({0}, DType::kS8);
  std::vector<float> scales;
  quantize_columns(w, w_q, scales);
  const int64_t M = x_q.dim(0), K = w.rows, N = w.cols;
  Tensor out({M, N});
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t sum = 0;
      for (int64_t k = 0; k < K; ++k) sum += int64_t{int8_data(x_q)[m * K + k]} * int8_data(w_q)[k * N + n];
      out.data()[m * N + n] = static_cast<float>(static_cast<double>(sum) * scales[n]);
    }
  return out;
}

TEST(QuantizedLinear, IsRefusedWithoutEightBitDotProducts) {
  const Tensor weight = random_tensor({4, 3}, 1);
  if (Context::has_int8_dot_products()) {
    EXPECT_NO_THROW(QuantizedLinear{matrix(weight)});
  } else {
    EXPECT_THROW(QuantizedLinear{matrix(weight)}, InputError);
  }
}

// The remaining tests need the dot-product instructions (on other CPUs the layer is refused, as tested
// above).
TEST(QuantizedLinear, ProductsAreTheExactIntegerSumsTimesTheColumnScales) {
  if (!Context::has_int8_dot_products()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  const Tensor weight = random_tensor({70, 33}, 1);
  QuantizedLinear linear(matrix(weight));
  EXPECT_EQ(linear.in(), 70);
  EXPECT_EQ(linear.out(), 33);
  for (int64_t rows : {1, 5, 64, 161}) {
    const Tensor x = random_tensor({rows, 70}, 10 + rows);
    Tensor x_q({0}, DType::kS8), x_scales, products;
    quantize_rows(x, x_q, x_scales);
    linear.multiply(x_q, products);
    // Integer sums are exact; only the final scaling rounds.
    EXPECT_TRUE(all_close(products, naive_products(x_q, matrix(weight)), 1e-6, 1e-7)) << rows << " rows";
  }
  EXPECT_EQ(linear.primitive_count(), 4);
}

TEST(QuantizedLinear, ScaledProductsApproximateTheF32Product) {
  if (!Context::has_int8_dot_products()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  const Tensor table = random_tensor({300, 128}, 2, 0.2f);  // a {V, H} table used transposed, as tied outputs
  const MatrixView w = matrix(table).transposed();
  QuantizedLinear linear(w);
  const Tensor x = random_tensor({9, 128}, 3);
  Tensor x_q({0}, DType::kS8), x_scales, products;
  quantize_rows(x, x_q, x_scales);
  linear.multiply(x_q, products);
  for (int64_t m = 0; m < 9; ++m)
    for (int64_t n = 0; n < 300; ++n) {
      double exact = 0, bound = 0;
      for (int64_t k = 0; k < 128; ++k) {
        const double xv = x.data()[m * 128 + k], wv = table.data()[n * 128 + k];
        exact += xv * wv;
        bound += std::fabs(xv) + std::fabs(wv);
      }
      // Each operand is off by at most half a level: |Δ| <= Σ (|x|·Δw + |w|·Δx + Δx·Δw), with levels of
      // at most max|x| / 127 = 1/127 and 0.2/127 here.
      const double tolerance = bound * 0.5 / 127 + 128 * 0.25 * 0.2 / (127.0 * 127.0);
      EXPECT_NEAR(x_scales.data()[m] * products.data()[m * 300 + n], exact, tolerance) << m << ", " << n;
    }
}

}  // namespace
}  // namespace ferry
