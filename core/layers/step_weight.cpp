#include "core/layers/step_weight.h"

#include "core/ops/convert.h"
#include "core/ops/matmul.h"
#include "util/error.h"

namespace ferry {

StepWeight::StepWeight(const Parameter& param, int64_t first_row, int64_t rows, Precision precision)
    : param_(param),
      first_row_(first_row),
      rows_(rows),
      cols_(param.value.numel() / param.value.dim(0)),
      dtype_(compute_type(precision)) {
  FERRY_CHECK(first_row >= 0 && rows > 0 && first_row + rows <= param.value.dim(0), InternalError,
              "step weight: rows [" << first_row << ", " << first_row + rows << ") of " << param.name << " "
                                    << dims_text(param.value.dims()));
  if (precision == Precision::kInt8) int8_ = std::make_unique<Int8Weight>(param, first_row, rows);
}

Tensor StepWeight::f32_rows() const {
  return param_.value.reshaped({param_.value.dim(0), cols_}).slice(first_row_, first_row_ + rows_);
}

const float* StepWeight::multiply(const Tensor& x, Tensor& products) {
  check_dims(x, {x.dim(0), rows_}, "step weight input");
  if (int8_) {
    int8_->multiply(x, products, row_scales_);
    return row_scales_.data();
  }
  products.resize({x.dim(0), cols_});
  if (dtype_ == DType::kF32) {
    matmul(matrix(x), matrix(f32_rows()), matrix(products));
    return nullptr;
  }
  if (bf16_version_ != param_.version) {
    weight_bf16_.resize({rows_, cols_});
    convert(f32_rows(), weight_bf16_);
    bf16_version_ = param_.version;
  }
  matmul(matrix(x_bf16_.of(x)), matrix(weight_bf16_), matrix(products));
  return nullptr;
}

}  // namespace ferry
