// A parameter's matrix as the weight of 8-bit products: quantized per output column (QuantizedLinear) when
// first used and again whenever the parameter's value changed, with the per-row quantization of the f32 rows
// it multiplies. Callers apply the row scales (and any bias) in their own element-wise pass over the products,
// where they cost nothing extra. The quantized copy of a matrix at a version is made once per process and
// shared by every network that reads the same parameter storage (translation workers).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "core/layers/quantized_linear.h"
#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class Int8Weight {
 public:
  // The parameter read as the matrix {K, N} = {dim 0, the other dims flattened}, or with `transposed` as
  // the transpose of that (a {V, H} embedding table serving as an {H, V} output weight). The parameter must
  // outlive this object.
  explicit Int8Weight(const Parameter& param, bool transposed = false);
  // Rows [first_row, first_row + rows) of the parameter's matrix {K, N} alone: a weight {rows, N}.
  Int8Weight(const Parameter& param, int64_t first_row, int64_t rows);

  int64_t in() const { return in_; }
  int64_t out() const { return out_; }

  // x: {..., K} f32; products: resized to {M, N} and row_scales to {M} (M = x.numel() / K), so that
  // x·W ≈ row_scales[m] · products[m, n].
  void multiply(const Tensor& x, Tensor& products, Tensor& row_scales);

  // Each output column's scale (s_n with W[k, n] ≈ s_n · q[k, n]) of the weight the last product used.
  const std::vector<float>& column_scales() const { return weight_->matrix().scales; }

  // The quantized copy's bytes (nullptr before the first product): copies shared between networks are one.
  const void* quantized_data() const { return weight_ ? weight_->matrix().weights.get_data_handle() : nullptr; }

 private:
  const Parameter& param_;
  bool transposed_;
  int64_t first_row_ = 0, rows_;  // of the parameter's matrix used
  int64_t in_, out_;
  uint64_t version_ = std::numeric_limits<uint64_t>::max();  // of the parameter when quantized
  std::unique_ptr<QuantizedLinear> weight_;
  Tensor quantized_rows_{Dims{0}, DType::kS8};
};

}  // namespace ferry
