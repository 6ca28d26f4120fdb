// A weight matrix {K, N} in 8 bits for int8 matrix products on the CPU's integer dot-product instructions:
// quantized once per output column (see core/ops/quantize.h) and reordered once into the primitive's layout.
// multiply() takes rows quantized with one scale per row and leaves that scale (and any bias) to the caller,
// whose element-wise pass over the products applies them at no extra cost.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/bound_primitive.h"
#include "core/ops/matmul.h"
#include "core/prim_cache.h"
#include "core/tensor.h"

namespace ferry {

// The weight in 8 bits as the products read it. Never changed once made, so threads may share it.
struct QuantizedMatrix {
  int64_t in = 0, out = 0;
  std::vector<float> scales;  // {N}
  dnnl::memory::desc desc;    // the primitives' layout (the same for every M; checked)
  dnnl::memory weights;       // owns the reordered weights (with oneDNN's int8 compensation)
};

class QuantizedLinear {
 public:
  // w: {K, N} f32, any strides (a transposed view of a {N, K} table too); read once, not kept. InputError on
  // a CPU without 8-bit dot-product instructions (Context::has_int8_dot_products).
  static std::shared_ptr<const QuantizedMatrix> quantize(const MatrixView& w);

  explicit QuantizedLinear(const MatrixView& w);
  // Products with a matrix quantize() made, which other QuantizedLinears may share.
  explicit QuantizedLinear(std::shared_ptr<const QuantizedMatrix> matrix);
  QuantizedLinear(const QuantizedLinear&) = delete;
  QuantizedLinear& operator=(const QuantizedLinear&) = delete;

  int64_t in() const { return matrix_->in; }
  int64_t out() const { return matrix_->out; }
  const QuantizedMatrix& matrix() const { return *matrix_; }

  // x: {M, K} int8; products: resized to {M, N} f32 with products[m, n] = scale_n · Σ_k x[m, k] · q[k, n]
  // (scale_n, q: the quantized weight), so that x_f32 · w ≈ row_scale[m] · products[m, n].
  void multiply(const Tensor& x, Tensor& products);

  // Primitives held: one per row count M, the most recently used kPrimitiveCapacity.
  int64_t primitive_count() const { return static_cast<int64_t>(primitives_.size()); }
  // Enough for every row count of a search over batches of up to 64 sentences x beam rows.
  static constexpr size_t kPrimitiveCapacity = 64;

 private:
  BoundPrimitive& primitive(int64_t rows);

  std::shared_ptr<const QuantizedMatrix> matrix_;
  PrimitiveCache primitives_;  // keyed by M
};

}  // namespace ferry
