// A parameter's matrix, or a range of its rows, as the weight of a search step's product at a layer's
// precision: the f32 value itself, a bf16 copy, or 8-bit products (Int8Weight), the copies following the
// parameter's version.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "core/layers/int8_weight.h"
#include "core/ops/bf16_copy.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class StepWeight {
 public:
  // Rows [first_row, first_row + rows) of the parameter read as the matrix {dim 0, the other dims
  // flattened}. The parameter must outlive this object.
  StepWeight(const Parameter& param, int64_t first_row, int64_t rows, Precision precision);

  int64_t in() const { return rows_; }
  int64_t out() const { return cols_; }
  // x {M, in} f32; products resized to {M, out}. Returns the row scales {M} of 8-bit products (x·W ≈
  // scale[m] · products[m]; the caller applies them in its own pass), or nullptr where products = x·W.
  const float* multiply(const Tensor& x, Tensor& products);

 private:
  // The f32 rows of the parameter as a {rows, cols} view.
  Tensor f32_rows() const;

  const Parameter& param_;
  const int64_t first_row_, rows_, cols_;
  const DType dtype_;                  // of the f32 or bf16 product; unused with int8_
  std::unique_ptr<Int8Weight> int8_;   // precision int8 only
  Tensor weight_bf16_{Dims{0}, DType::kBF16};
  uint64_t bf16_version_ = std::numeric_limits<uint64_t>::max();
  Bf16Copy x_bf16_;
  Tensor row_scales_{Dims{0}};
};

}  // namespace ferry
