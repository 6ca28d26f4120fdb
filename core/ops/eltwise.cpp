#include "core/ops/eltwise.h"

#include <algorithm>
#include <cmath>

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

int64_t row_count(const Tensor& t, int64_t cols) { return cols == 0 ? 0 : t.numel() / cols; }

template <typename Op>
void for_each_element(Tensor& x, Op op) {
  float* v = x.data();
  const int64_t n = x.numel();
#pragma omp parallel for simd schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) v[i] = op(v[i]);
}

// grad[i] = grad[i] · derivative(y[i]).
template <typename Derivative>
void scale_by_derivative(const Tensor& y, Tensor& grad, const char* what, Derivative derivative) {
  check_dims(grad, y.dims(), what);
  const float* out = y.data();
  float* g = grad.data();
  const int64_t n = y.numel();
#pragma omp parallel for schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) g[i] *= derivative(out[i]);
}

}  // namespace

void add_bias(Tensor& y, const Tensor& bias) {
  const int64_t cols = y.dim(-1);
  check_dims(bias, {cols}, "bias");
  const int64_t rows = row_count(y, cols);
  float* out = y.data();
  const float* b = bias.data();
#pragma omp parallel for schedule(static) if (y.numel() >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    float* row = out + r * cols;
    for (int64_t c = 0; c < cols; ++c) row[c] += b[c];
  }
}

void accumulate_bias_grad(const Tensor& dy, Tensor& bias_grad) {
  // Each thread owns whole blocks of columns and walks the rows down them; a block of 128 columns reads half
  // a kilobyte of each row, long enough a run for the prefetcher to follow the stride between rows.
  constexpr int64_t kBlockColumns = 8 * kFloatsPerCacheLine;
  const int64_t cols = dy.dim(-1);
  check_dims(bias_grad, {cols}, "bias gradient");
  const int64_t rows = row_count(dy, cols);
  const int64_t blocks = (cols + kBlockColumns - 1) / kBlockColumns;
  const float* in = dy.data();
  float* out = bias_grad.data();
#pragma omp parallel for schedule(static) if (dy.numel() >= kParallelMinElements)
  for (int64_t block = 0; block < blocks; ++block) {
    const int64_t begin = block * kBlockColumns;
    const int64_t width = std::min(kBlockColumns, cols - begin);
    double sums[kBlockColumns] = {};
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = in + r * cols + begin;
      for (int64_t c = 0; c < width; ++c) sums[c] += row[c];
    }
    for (int64_t c = 0; c < width; ++c) out[begin + c] += static_cast<float>(sums[c]);
  }
}

void tanh_forward(Tensor& x) {
  for_each_element(x, [](float v) { return fast_tanh(v); });
}

void tanh_backward(const Tensor& y, Tensor& grad) {
  scale_by_derivative(y, grad, "tanh gradient", [](float out) { return 1.0f - out * out; });
}

void sigmoid_forward(Tensor& x) {
  for_each_element(x, [](float v) { return 1.0f / (1.0f + fast_exp(-v)); });
}

void sigmoid_backward(const Tensor& y, Tensor& grad) {
  scale_by_derivative(y, grad, "sigmoid gradient", [](float out) { return out * (1.0f - out); });
}

}  // namespace ferry
