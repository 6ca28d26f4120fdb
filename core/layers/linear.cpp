#include "core/layers/linear.h"

#include "core/ops/eltwise.h"
#include "util/error.h"

namespace ferry {
namespace {

void check_last_dim(const Tensor& t, int64_t size, const char* what) {
  FERRY_CHECK(t.rank() >= 1 && t.dim(-1) == size, InternalError,
              what << ": expected last dim " << size << ", got dims " << dims_text(t.dims()));
}

}  // namespace

Linear::Linear(ParamRegistry& params, const std::string& scope, int64_t in, int64_t out, bool with_bias,
               Activation activation)
    : in_(in), out_(out), activation_(activation) {
  weight_ = &params.add(scope + "/weight", {in, out}, Init::glorot(in, out));
  if (with_bias) bias_ = &params.add(scope + "/bias", {out}, Init::zeros());
}

void Linear::forward(const Tensor& x, Tensor& y) const {
  check_last_dim(x, in_, "linear input");
  Dims y_dims = x.dims();
  y_dims.back() = out_;
  y.resize(y_dims);
  matmul(flat_matrix(x), matrix(weight_->value), flat_matrix(y), WriteMode::kOverwrite,
         bias_ != nullptr ? bias_->value.data() : nullptr);
  if (activation_ == Activation::kTanh) tanh_forward(y);
}

void Linear::backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, WriteMode dx_mode) {
  check_last_dim(x, in_, "linear input");
  Dims y_dims = x.dims();
  y_dims.back() = out_;
  check_dims(y, y_dims, "linear output");
  check_dims(dy, y_dims, "linear output gradient");
  if (activation_ == Activation::kTanh) tanh_backward(y, dy);
  // dW += xᵀ·dy, db += column sums of dy, dx (+)= dy·Wᵀ
  matmul(flat_matrix(x).transposed(), flat_matrix(dy), matrix(weight_->grad), WriteMode::kAccumulate);
  if (bias_ != nullptr) accumulate_bias_grad(dy, bias_->grad);
  if (dx != nullptr) {
    if (dx_mode == WriteMode::kOverwrite) {
      dx->resize(x.dims());
    } else {
      check_dims(*dx, x.dims(), "linear input gradient");
    }
    matmul(flat_matrix(dy), matrix(weight_->value).transposed(), flat_matrix(*dx), dx_mode);
  }
}

}  // namespace ferry
