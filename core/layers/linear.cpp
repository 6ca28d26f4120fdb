#include "core/layers/linear.h"

#include "core/ops/eltwise.h"
#include "core/ops/quantize.h"
#include "util/error.h"

namespace ferry {
namespace {

void check_last_dim(const Tensor& t, int64_t size, const char* what) {
  FERRY_CHECK(t.rank() >= 1 && t.dim(-1) == size, InternalError,
              what << ": expected last dim " << size << ", got dims " << dims_text(t.dims()));
}

}  // namespace

Linear::Linear(ParamRegistry& params, const std::string& scope, int64_t in, int64_t out, bool with_bias,
               Activation activation, Precision precision)
    : in_(in), out_(out), activation_(activation), compute_(compute_type(precision)) {
  weight_ = &params.add(scope + "/weight", {in, out}, Init::glorot(in, out));
  if (with_bias) bias_ = &params.add(scope + "/bias", {out}, Init::zeros());
  if (precision == Precision::kInt8) int8_ = std::make_unique<Int8Weight>(*weight_);
}

void Linear::forward(const Tensor& x, Tensor& y) {
  check_last_dim(x, in_, "linear input");
  Dims y_dims = x.dims();
  y_dims.back() = out_;
  y.resize(y_dims);
  const float* bias = bias_ != nullptr ? bias_->value.data() : nullptr;
  if (int8_) {
    int8_->multiply(x, products_, row_scales_);
    Tensor rows = y.reshaped(products_.dims());
    dequantize_rows(products_, row_scales_, bias, activation_ == Activation::kTanh, rows);
    return;
  }
  const bool bf16 = compute_ == DType::kBF16;
  matmul(flat_matrix(bf16 ? x_bf16_.of(x) : x), matrix(bf16 ? weight_bf16_.of(*weight_) : weight_->value),
         flat_matrix(y), WriteMode::kOverwrite, bias);
  if (activation_ == Activation::kTanh) tanh_forward(y);
}

void Linear::infer(const Tensor& x, Tensor& y) {
  if (int8_) {
    forward(x, y);
    return;
  }
  check_last_dim(x, in_, "linear input");
  Dims y_dims = x.dims();
  y_dims.back() = out_;
  y.resize(y_dims);
  if (!packed_) packed_ = std::make_unique<PackedWeight>(*weight_, 0, in_, false, compute_);
  const int64_t rows = x.numel() / in_;
  const Tensor& operand = compute_ == DType::kBF16 ? x_bf16_.of(x) : x;
  Tensor rows_out = y.reshaped({rows, out_});
  packed_->multiply(operand.reshaped({rows, in_}), rows_out, bias_ != nullptr ? bias_->value.data() : nullptr);
  if (activation_ == Activation::kTanh) tanh_forward(y);
}

void Linear::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, WriteMode dx_mode) {
  check_last_dim(x, in_, "linear input");
  Dims y_dims = x.dims();
  y_dims.back() = out_;
  check_dims(y, y_dims, "linear output");
  check_dims(dy, y_dims, "linear output gradient");
  FERRY_CHECK(!int8_, InternalError, "a linear layer with int8 weights has no backward pass");
  if (activation_ == Activation::kTanh) tanh_backward(y, dy);
  // dW += xᵀ·dy, db += column sums of dy, dx (+)= dy·Wᵀ
  const bool bf16 = compute_ == DType::kBF16;
  const Tensor& x_operand = bf16 ? x_bf16_.of(x) : x;
  const Tensor& dy_operand = bf16 ? dy_bf16_.of(dy) : dy;
  matmul(flat_matrix(x_operand).transposed(), flat_matrix(dy_operand), matrix(weight_->grad),
         WriteMode::kAccumulate);
  if (bias_ != nullptr) accumulate_bias_grad(dy, bias_->grad);
  if (dx != nullptr) {
    if (dx_mode == WriteMode::kOverwrite) {
      dx->resize(x.dims());
    } else {
      check_dims(*dx, x.dims(), "linear input gradient");
    }
    matmul(flat_matrix(dy_operand), matrix(bf16 ? weight_bf16_.of(*weight_) : weight_->value).transposed(),
           flat_matrix(*dx), dx_mode);
  }
}

}  // namespace ferry
