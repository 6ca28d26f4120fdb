// A parameter's matrix as the weight of the search's products, which multiply the same weight at every
// step: reordered once into the blocked layout oneDNN's matmul picks for it (the same for every row count),
// and again only when the parameter's version changes. Given a plain weight, the matmul copies it into that
// layout at every call: 3-7% of an f32 product of 160 rows by a 512-row weight, 10% in bf16, and up to
// 19% (f32) and 35% (bf16) at 32 rows (stand-alone oneDNN; docs/performance.md). The packed copy of a
// matrix at a version is made once per process and shared by every network that reads the same parameter
// storage (translation workers).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include <oneapi/dnnl/dnnl.hpp>

#include "core/param.h"
#include "core/prim_cache.h"
#include "core/tensor.h"

namespace ferry {

class PackedWeight {
 public:
  // The matrix {K, N}: rows [first_row, first_row + rows) of the parameter read as {dim 0, the other dims
  // flattened}, or with `transposed` the transpose of the whole parameter {dim 0, rest} (first_row 0, rows
  // its dim 0: a {V, H} embedding table as an {H, V} output weight). dtype: f32 or bf16, the type of the
  // products' operands. The parameter must outlive this object.
  PackedWeight(const Parameter& param, int64_t first_row, int64_t rows, bool transposed, DType dtype);
  PackedWeight(const PackedWeight&) = delete;
  PackedWeight& operator=(const PackedWeight&) = delete;

  int64_t in() const { return in_; }
  int64_t out() const { return out_; }
  DType dtype() const { return dtype_; }

  // x: {M, in} of dtype(); y: resized to {M, out} f32, y = x·W (+ bias {out} when given).
  void multiply(const Tensor& x, Tensor& y, const float* bias = nullptr);

  // The packed copy's bytes (nullptr before the first product): copies shared between networks are one.
  const void* packed_data() const { return packed_ ? packed_->get_data_handle() : nullptr; }

  // Primitives held: one per row count and bias use, the most recently used kPrimitiveCapacity.
  static constexpr size_t kPrimitiveCapacity = 64;

 private:
  // The packed copy for the parameter's current version.
  const dnnl::memory& packed();
  BoundPrimitive& primitive(int64_t rows, bool bias);

  const Parameter& param_;
  const int64_t first_row_, rows_;  // of the parameter's matrix read
  const bool transposed_;
  int64_t in_, out_;
  const DType dtype_;
  dnnl::memory::desc packed_desc_;
  std::shared_ptr<const dnnl::memory> packed_;
  uint64_t version_ = std::numeric_limits<uint64_t>::max();
  PrimitiveCache primitives_;
};

}  // namespace ferry
