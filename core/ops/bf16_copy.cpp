#include "core/ops/bf16_copy.h"

#include "core/ops/convert.h"

namespace ferry {

const Tensor& Bf16Copy::of(const Tensor& t) {
  param_ = nullptr;
  buffer_.resize(t.dims());
  convert(t, buffer_);
  return buffer_;
}

const Tensor& Bf16Copy::of(const Parameter& param) {
  if (param_ != &param || version_ != param.version || buffer_.dims() != param.value.dims()) {
    buffer_.resize(param.value.dims());
    convert(param.value, buffer_);
    param_ = &param;
    version_ = param.version;
  }
  return buffer_;
}

}  // namespace ferry
