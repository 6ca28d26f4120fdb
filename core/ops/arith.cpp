#include "core/ops/arith.h"

#include "util/error.h"

namespace ferry {

void add_in_place(Tensor& y, const Tensor& x) {
  FERRY_CHECK(x.numel() == y.numel(), InternalError,
              "add_in_place: " << dims_text(x.dims()) << " into " << dims_text(y.dims()));
  float* py = y.data();
  const float* px = x.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) py[i] += px[i];
}

void multiply_in_place(Tensor& y, const Tensor& x) {
  FERRY_CHECK(x.numel() == y.numel(), InternalError,
              "multiply_in_place: " << dims_text(x.dims()) << " into " << dims_text(y.dims()));
  float* py = y.data();
  const float* px = x.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) py[i] *= px[i];
}

void scale_in_place(Tensor& y, float factor) {
  float* py = y.data();
  const int64_t n = y.numel();
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) py[i] *= factor;
}

}  // namespace ferry
