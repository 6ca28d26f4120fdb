#include "core/layers/int8_weight.h"

#include "core/ops/matmul.h"
#include "core/ops/quantize.h"
#include "util/error.h"

namespace ferry {
namespace {

// The parameter as {dim 0, the other dims flattened}.
MatrixView as_matrix(const Parameter& param) {
  const int64_t rows = param.value.dim(0), cols = param.value.numel() / rows;
  return {const_cast<float*>(param.value.data()), DType::kF32, 1, rows, cols, rows * cols, cols, 1};
}

}  // namespace

Int8Weight::Int8Weight(const Parameter& param, bool transposed) : param_(param), transposed_(transposed) {
  const MatrixView w = as_matrix(param_);
  in_ = transposed_ ? w.cols : w.rows;
  out_ = transposed_ ? w.rows : w.cols;
}

void Int8Weight::multiply(const Tensor& x, Tensor& products, Tensor& row_scales) {
  FERRY_CHECK(
      x.rank() >= 1 && x.dim(-1) == in_, InternalError,
      "int8 product with " << param_.name << ": expected rows of " << in_ << ", got " << dims_text(x.dims()));
  if (!weight_ || version_ != param_.version) {
    const MatrixView w = as_matrix(param_);
    weight_ = std::make_unique<QuantizedLinear>(transposed_ ? w.transposed() : w);
    version_ = param_.version;
  }
  quantize_rows(x.reshaped({x.numel() / in_, in_}), quantized_rows_, row_scales);
  weight_->multiply(quantized_rows_, products);
}

}  // namespace ferry
