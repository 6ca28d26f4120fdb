#include "decoder/combine_step.h"

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {

CombineStep::CombineStep(Linear& combine, int64_t memory_dim, Precision precision)
    : combine_(combine),
      memory_dim_(memory_dim),
      hidden_(combine.out()),
      context_part_(combine.weight(), 0, memory_dim, float_precision(precision)),
      hidden_part_(combine.weight(), memory_dim, combine.out(), precision),
      products_({0}) {
  FERRY_CHECK(combine.in() == memory_dim + hidden_ && combine.bias() != nullptr, InternalError,
              "combine step: a combine layer " << combine.in() << " -> " << combine.out() << " for memory width "
                                               << memory_dim);
}

void CombineStep::project_memory(const Tensor& memory, Tensor& projected) {
  const int64_t S = memory.dim(0), B = memory.dim(1);
  check_dims(memory, {S, B, memory_dim_}, "combine step memory");
  context_part_.multiply(memory.reshaped({S * B, memory_dim_}), projected);  // float precision: no scales
  projected = projected.reshaped({S, B, hidden_});
}

void CombineStep::step(const Tensor& projected_context, const Tensor& top, Tensor& out) {
  const int64_t rows = top.dim(0);
  check_dims(top, {rows, hidden_}, "combine step input");
  check_dims(projected_context, {rows, hidden_}, "combine step context");
  const float* scales = hidden_part_.multiply(top, products_);
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
