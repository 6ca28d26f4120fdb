// A parameter's matrix, or a range of its rows, as the weight of a search step's product at a layer's
// precision: f32 or bf16 products on a packed copy (PackedWeight), or 8-bit products (Int8Weight), the
// copies following the parameter's version.
#pragma once

#include <cstdint>
#include <memory>

#include "core/layers/int8_weight.h"
#include "core/layers/packed_weight.h"
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
  const int64_t rows_, cols_;
  std::unique_ptr<PackedWeight> packed_;  // f32 and bf16
  std::unique_ptr<Int8Weight> int8_;      // precision int8 only
  Bf16Copy x_bf16_;
  Tensor row_scales_{Dims{0}};
};

}  // namespace ferry
