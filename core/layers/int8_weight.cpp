#include "core/layers/int8_weight.h"

#include <tuple>

#include "core/ops/matmul.h"
#include "core/ops/quantize.h"
#include "core/shared_copies.h"
#include "util/error.h"

namespace ferry {
namespace {

// The parameter as {dim 0, the other dims flattened}.
MatrixView as_matrix(const Parameter& param) {
  const int64_t rows = param.value.dim(0), cols = param.value.numel() / rows;
  return {const_cast<float*>(param.value.data()), DType::kF32, 1, rows, cols, rows * cols, cols, 1};
}

// Rows [first, first + count) of it.
MatrixView row_range(MatrixView w, int64_t first, int64_t count) {
  w.data = static_cast<float*>(w.data) + first * w.row_stride;
  w.rows = count;
  w.batch_stride = count * w.cols;
  return w;
}

// What a quantized copy is of: the parameter's storage, version and the part read (first row, rows,
// transposed).
using QuantizedKey = std::tuple<const void*, uint64_t, int64_t, int64_t, bool>;

SharedCopies<QuantizedKey, const QuantizedMatrix>& quantized_copies() {
  static SharedCopies<QuantizedKey, const QuantizedMatrix> copies;
  return copies;
}

}  // namespace

Int8Weight::Int8Weight(const Parameter& param, bool transposed)
    : param_(param), transposed_(transposed), rows_(as_matrix(param).rows) {
  const MatrixView w = as_matrix(param_);
  in_ = transposed_ ? w.cols : w.rows;
  out_ = transposed_ ? w.rows : w.cols;
}

Int8Weight::Int8Weight(const Parameter& param, int64_t first_row, int64_t rows)
    : param_(param), transposed_(false), first_row_(first_row), rows_(rows), in_(rows), out_(as_matrix(param).cols) {
  FERRY_CHECK(first_row >= 0 && rows > 0 && first_row + rows <= param.value.dim(0), InternalError,
              "int8 weight: rows [" << first_row << ", " << first_row + rows << ") of " << param.name << " "
                                    << dims_text(param.value.dims()));
}

void Int8Weight::multiply(const Tensor& x, Tensor& products, Tensor& row_scales) {
  FERRY_CHECK(
      x.rank() >= 1 && x.dim(-1) == in_, InternalError,
      "int8 product with " << param_.name << ": expected rows of " << in_ << ", got " << dims_text(x.dims()));
  if (!weight_ || version_ != param_.version) {
    const QuantizedKey key{param_.value.raw(), param_.version, first_row_, rows_, transposed_};
    weight_ = std::make_unique<QuantizedLinear>(quantized_copies().get(key, [&] {
      const MatrixView w = row_range(as_matrix(param_), first_row_, rows_);
      return QuantizedLinear::quantize(transposed_ ? w.transposed() : w);
    }));
    version_ = param_.version;
  }
  quantize_rows(x.reshaped({x.numel() / in_, in_}), quantized_rows_, row_scales);
  weight_->multiply(quantized_rows_, products);
}

}  // namespace ferry
