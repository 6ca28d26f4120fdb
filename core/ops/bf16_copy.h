// f32 tensors as operands of bf16 matrix products: converted into a buffer kept for reuse, and for parameters
// converted again only when their value changed.
#pragma once

#include <cstdint>
#include <limits>

#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class Bf16Copy {
 public:
  // `t` converted to bf16 now (same dims); valid until the next call.
  const Tensor& of(const Tensor& t);
  // The parameter's value in bf16, converted only when the parameter's version differs from the last call's.
  const Tensor& of(const Parameter& param);

 private:
  Tensor buffer_{Dims{0}, DType::kBF16};
  const Parameter* param_ = nullptr;
  uint64_t version_ = std::numeric_limits<uint64_t>::max();
};

}  // namespace ferry
