#include "core/ops/convert.h"

#include <cstdint>
#include <cstring>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

uint16_t bf16_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const bool nan = (bits & 0x7FFFFFFFu) > 0x7F800000u;
  const uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(nan ? (bits >> 16) | 0x40u : rounded >> 16);
}

float f32_of(uint16_t value) {
  const uint32_t bits = static_cast<uint32_t>(value) << 16;
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

}  // namespace

void round_to_bf16(const float* from, int64_t n, uint16_t* to) {
#pragma omp parallel for simd schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) to[i] = bf16_of(from[i]);
}

void convert(const Tensor& from, Tensor& to) {
  FERRY_CHECK(from.numel() == to.numel(), InternalError,
              "convert: " << dims_text(from.dims()) << " into " << dims_text(to.dims()));
  FERRY_CHECK(from.dtype() != DType::kS8 && to.dtype() != DType::kS8, InternalError,
              "convert: int8 tensors are quantized (core/ops/quantize.h), not converted");
  const int64_t n = from.numel();
  if (from.dtype() == to.dtype()) {
    to.copy_from(from);
  } else if (from.dtype() == DType::kF32) {
    round_to_bf16(from.data(), n, static_cast<uint16_t*>(to.raw()));
  } else {
    const auto* in = static_cast<const uint16_t*>(from.raw());
    float* out = to.data();
#pragma omp parallel for simd schedule(static) if (n >= kParallelMinElements)
    for (int64_t i = 0; i < n; ++i) out[i] = f32_of(in[i]);
  }
}

}  // namespace ferry
