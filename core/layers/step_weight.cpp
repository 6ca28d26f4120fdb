#include "core/layers/step_weight.h"

#include "util/error.h"

namespace ferry {

StepWeight::StepWeight(const Parameter& param, int64_t first_row, int64_t rows, Precision precision)
    : rows_(rows), cols_(param.value.numel() / param.value.dim(0)) {
  FERRY_CHECK(first_row >= 0 && rows > 0 && first_row + rows <= param.value.dim(0), InternalError,
              "step weight: rows [" << first_row << ", " << first_row + rows << ") of " << param.name << " "
                                    << dims_text(param.value.dims()));
  if (precision == Precision::kInt8) {
    int8_ = std::make_unique<Int8Weight>(param, first_row, rows);
  } else {
    packed_ = std::make_unique<PackedWeight>(param, first_row, rows, false, compute_type(precision));
  }
}

const float* StepWeight::multiply(const Tensor& x, Tensor& products) {
  check_dims(x, {x.dim(0), rows_}, "step weight input");
  if (int8_) {
    int8_->multiply(x, products, row_scales_);
    return row_scales_.data();
  }
  packed_->multiply(packed_->dtype() == DType::kBF16 ? x_bf16_.of(x) : x, products);
  return nullptr;
}

}  // namespace ferry
