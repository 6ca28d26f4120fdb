#include "core/ops/quantize.h"

#include <algorithm>
#include <cmath>

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr float kLevels = 127.0f;

// round(x · inverse) to the nearest integer, halves away from zero; |x · inverse| <= 127 by construction.
// copysign rather than a comparison: no branch for the compiler to keep where a loop is not vectorised
// (mispredicted on half of a weight matrix's values).
inline int8_t quantized(float x, float inverse) {
  const float v = x * inverse;
  return static_cast<int8_t>(static_cast<int>(v + std::copysign(0.5f, v)));
}

// dequantize_rows with its choices fixed at compile time, so that the loop over a row vectorises.
template <bool kBias, bool kTanh>
void dequantize_each_row(const Tensor& products, const Tensor& row_scales, const float* bias, Tensor& y) {
  const int64_t R = products.dim(0), N = products.dim(1);
#pragma omp parallel for schedule(static) if (R * N >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const float scale = row_scales.data()[r];
    const float* p = products.data() + r * N;
    float* out = y.data() + r * N;
#pragma omp simd
    for (int64_t n = 0; n < N; ++n) {
      const float v = kBias ? scale * p[n] + bias[n] : scale * p[n];
      out[n] = kTanh ? fast_tanh(v) : v;
    }
  }
}

}  // namespace

void quantize_rows(const Tensor& x, Tensor& out, Tensor& scales) {
  FERRY_CHECK(x.rank() == 2, InternalError, "quantize_rows needs {R, C}, got " << dims_text(x.dims()));
  const int64_t rows = x.dim(0), cols = x.dim(1);
  FERRY_CHECK(out.dtype() == DType::kS8 && scales.dtype() == DType::kF32, InternalError,
              "quantize_rows: needs an int8 output and f32 scales");
  out.resize({rows, cols});
  scales.resize({rows});
  const float* in = x.data();
  auto* q = static_cast<int8_t*>(out.raw());
  float* s = scales.data();
#pragma omp parallel for schedule(static) if (rows * cols >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = in + r * cols;
    float largest = 0.0f;
#pragma omp simd reduction(max : largest)
    for (int64_t c = 0; c < cols; ++c) {
      const float magnitude = std::fabs(row[c]);
      largest = magnitude > largest ? magnitude : largest;
    }
    s[r] = largest / kLevels;
    const float inverse = largest > 0.0f ? kLevels / largest : 0.0f;
    int8_t* q_row = q + r * cols;
#pragma omp simd
    for (int64_t c = 0; c < cols; ++c) q_row[c] = quantized(row[c], inverse);
  }
}

void quantize_columns(const MatrixView& w, Tensor& out, std::vector<float>& scales) {
  FERRY_CHECK(w.dtype == DType::kF32 && w.batch == 1, InternalError, "quantize_columns needs one f32 matrix");
  FERRY_CHECK(out.dtype() == DType::kS8, InternalError, "quantize_columns: needs an int8 output");
  const int64_t K = w.rows, N = w.cols;
  const auto* in = static_cast<const float*>(w.data);
  const auto at = [&](int64_t k, int64_t n) { return in[k * w.row_stride + n * w.col_stride]; };
  // Both passes go over tiles of 64 columns, so that a transposed matrix (an embedding table read as an
  // output weight) is read a cache line at a time rather than one line per value.
  constexpr int64_t kTile = 64;
  const auto over_tiles = [&](auto&& visit) {
    for (int64_t begin = 0; begin < N; begin += kTile) {
      const int64_t end = std::min(begin + kTile, N);
      for (int64_t k = 0; k < K; ++k)
        for (int64_t n = begin; n < end; ++n) visit(k, n);
    }
  };
  scales.assign(static_cast<size_t>(N), 0.0f);
  over_tiles([&](int64_t k, int64_t n) { scales[n] = std::max(scales[n], std::fabs(at(k, n))); });
  std::vector<float> inverse(static_cast<size_t>(N));
  for (int64_t n = 0; n < N; ++n) {
    inverse[n] = scales[n] > 0.0f ? kLevels / scales[n] : 0.0f;
    scales[n] /= kLevels;
  }
  out.resize({K, N});
  auto* q = static_cast<int8_t*>(out.raw());
  over_tiles([&](int64_t k, int64_t n) { q[k * N + n] = quantized(at(k, n), inverse[n]); });
}

void dequantize_rows(const Tensor& products, const Tensor& row_scales, const float* bias, bool tanh,
                     Tensor& y) {
  const int64_t R = products.dim(0), N = products.dim(1);
  y.resize({R, N});
  if (bias != nullptr) {
    tanh ? dequantize_each_row<true, true>(products, row_scales, bias, y)
         : dequantize_each_row<true, false>(products, row_scales, bias, y);
  } else {
    tanh ? dequantize_each_row<false, true>(products, row_scales, bias, y)
         : dequantize_each_row<false, false>(products, row_scales, bias, y);
  }
}

void dequantize_log_softmax(Tensor& products, const Tensor& row_scales, const float* bias) {
  const int64_t R = products.dim(0), V = products.dim(1);
#pragma omp parallel for schedule(static) if (R * V >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    float* z = products.data() + r * V;
    const float scale = row_scales.data()[r];
    float max = -INFINITY;
#pragma omp simd reduction(max : max)
    for (int64_t v = 0; v < V; ++v) {
      z[v] = scale * z[v] + bias[v];
      max = z[v] > max ? z[v] : max;
    }
    const float log_norm = max + static_cast<float>(std::log(sum_exp(z, V, max)));
#pragma omp simd
    for (int64_t v = 0; v < V; ++v) z[v] -= log_norm;
  }
}

}  // namespace ferry
