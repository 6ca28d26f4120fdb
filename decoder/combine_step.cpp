#include "decoder/combine_step.h"

#include "core/ops/fast_math.h"
#include "core/ops/matmul.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {

CombineStep::CombineStep(Linear& combine, int64_t memory_dim, Precision precision)
    : combine_(combine),
      memory_dim_(memory_dim),
      hidden_(combine.out()),
      step_type_(compute_type(precision)),
      memory_type_(compute_type(float_precision(precision))),
      products_({0}),
      row_scales_({0}) {
  FERRY_CHECK(combine.in() == memory_dim + hidden_ && combine.bias() != nullptr, InternalError,
              "combine step: a combine layer " << combine.in() << " -> " << combine.out() << " for memory width "
                                               << memory_dim);
  if (precision == Precision::kInt8)
    int8_hidden_ = std::make_unique<Int8Weight>(combine.weight(), memory_dim, hidden_);
}

void CombineStep::project_memory(const Tensor& memory, Tensor& projected) {
  check_dims(memory, {memory.dim(0), memory.dim(1), memory_dim_}, "combine step memory");
  projected.resize({memory.dim(0), memory.dim(1), hidden_});
  if (memory_type_ == DType::kF32) {
    matmul(flat_matrix(memory), matrix(combine_.weight().value.slice(0, memory_dim_)), flat_matrix(projected));
  } else {
    matmul(flat_matrix(memory_bf16_.of(memory)), matrix(weight_bf16_.of(combine_.weight()).slice(0, memory_dim_)),
           flat_matrix(projected));
  }
}

void CombineStep::step(const Tensor& projected_context, const Tensor& top, Tensor& out) {
  const int64_t rows = top.dim(0);
  check_dims(top, {rows, hidden_}, "combine step input");
  check_dims(projected_context, {rows, hidden_}, "combine step context");
  const float* scales = nullptr;
  if (int8_hidden_) {
    int8_hidden_->multiply(top, products_, row_scales_);
    scales = row_scales_.data();
  } else {
    products_.resize({rows, hidden_});
    const Parameter& weight = combine_.weight();
    if (step_type_ == DType::kF32) {
      matmul(matrix(top), matrix(weight.value.slice(memory_dim_, memory_dim_ + hidden_)), matrix(products_));
    } else {
      matmul(matrix(top_bf16_.of(top)), matrix(weight_bf16_.of(weight).slice(memory_dim_, memory_dim_ + hidden_)),
             matrix(products_));
    }
  }
  out.resize({rows, hidden_});
  const float* context = projected_context.data();
  const float* products = products_.data();
  const float* bias = combine_.bias()->value.data();
  float* y = out.data();
  const int64_t H = hidden_;
#pragma omp parallel for schedule(static) if (rows * H >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float scale = scales ? scales[r] : 1.0f;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j)
      y[r * H + j] = fast_tanh(context[r * H + j] + scale * products[r * H + j] + bias[j]);
  }
}

}  // namespace ferry
