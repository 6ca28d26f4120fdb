#include "core/layers/linear.h"

#include "core/ops/eltwise.h"
#include "core/ops/quantize.h"
#include "util/error.h"

namespace ferry {
namespace {

// x's dims with the last, checked to be `in`, replaced by `out`: the output's dims for input x.
Dims output_dims(const Tensor& x, int64_t in, int64_t out) {
  FERRY_CHECK(x.rank() >= 1 && x.dim(-1) == in, InternalError,
              "linear input: expected last dim " << in << ", got dims " << dims_text(x.dims()));
  Dims dims = x.dims();
  dims.back() = out;
  return dims;
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
  y.resize(output_dims(x, in_, out_));
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
  y.resize(output_dims(x, in_, out_));
  if (!packed_) packed_ = std::make_unique<PackedWeight>(*weight_, 0, in_, false, compute_);
  const int64_t rows = x.numel() / in_;
  const Tensor& operand = compute_ == DType::kBF16 ? x_bf16_.of(x) : x;
  Tensor rows_out = y.reshaped({rows, out_});
  packed_->multiply(operand.reshaped({rows, in_}), rows_out, bias_ != nullptr ? bias_->value.data() : nullptr);
  if (activation_ == Activation::kTanh) tanh_forward(y);
}

void Linear::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, WriteMode dx_mode) {
  const Dims y_dims = output_dims(x, in_, out_);
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
