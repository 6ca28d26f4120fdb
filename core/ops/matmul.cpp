#include "core/ops/matmul.h"

#include <algorithm>

#include "core/context.h"
#include "core/prim_cache.h"
#include "util/error.h"

namespace ferry {
namespace {

// Room for the shapes of one training run's batches; beyond it the least recently used shapes are rebuilt.
constexpr size_t kCacheCapacity = 128;

// A size-1 batch has no meaningful batch stride; give it one that oneDNN accepts and that keys consistently.
int64_t effective_batch_stride(const MatrixView& v) {
  if (v.batch != 1) return v.batch_stride;
  return std::max(v.rows * v.row_stride, v.cols * v.col_stride);
}

dnnl::memory::desc describe(const MatrixView& v) {
  return dnnl::memory::desc({v.batch, v.rows, v.cols}, to_dnnl(v.dtype),
                            {effective_batch_stride(v), v.row_stride, v.col_stride});
}

PrimKey key_of(const MatrixView& a, const MatrixView& b, const MatrixView& c, WriteMode mode, bool bias) {
  PrimKey key{Context::threads(), a.batch, a.rows, a.cols, b.cols,
              (mode == WriteMode::kAccumulate ? 1 : 0) + (bias ? 2 : 0) + (a.dtype == DType::kBF16 ? 4 : 0)};
  size_t next = 6;
  for (const MatrixView* v : {&a, &b, &c}) {
    key[next++] = effective_batch_stride(*v);
    key[next++] = v->row_stride;
    key[next++] = v->col_stride;
  }
  return key;
}

BoundPrimitive make_matmul(const MatrixView& a, const MatrixView& b, const MatrixView& c, WriteMode mode,
                           bool bias) {
  const dnnl::memory::desc a_desc = describe(a), b_desc = describe(b), c_desc = describe(c);
  dnnl::primitive_attr attr = Context::scratchpad_attr();
  if (mode == WriteMode::kAccumulate) {
    dnnl::post_ops sum;
    sum.append_sum(1.0f);
    attr.set_post_ops(sum);
  }
  if (bias) {
    const dnnl::memory::desc bias_desc({1, 1, c.cols}, dnnl::memory::data_type::f32, {c.cols, c.cols, 1});
    const dnnl::matmul::desc desc(a_desc, b_desc, bias_desc, c_desc);
    const dnnl::matmul::primitive_desc pd(desc, attr, Context::get().engine());
    return BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST});
  }
  const dnnl::matmul::desc desc(a_desc, b_desc, c_desc);
  const dnnl::matmul::primitive_desc pd(desc, attr, Context::get().engine());
  return BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST});
}

void zero_matrices(const MatrixView& c) {
  for (int64_t i = 0; i < c.batch; ++i) {
    for (int64_t r = 0; r < c.rows; ++r) {
      std::fill_n(static_cast<float*>(c.data) + i * c.batch_stride + r * c.row_stride, c.cols, 0.0f);
    }
  }
}

void add_rows(const MatrixView& c, const float* row) {
  for (int64_t i = 0; i < c.batch; ++i) {
    for (int64_t r = 0; r < c.rows; ++r) {
      float* out = static_cast<float*>(c.data) + i * c.batch_stride + r * c.row_stride;
      for (int64_t j = 0; j < c.cols; ++j) out[j] += row[j];
    }
  }
}

void check_operand(const MatrixView& v, const char* what) {
  FERRY_CHECK(v.data != nullptr && v.batch >= 0 && v.rows >= 0 && v.cols >= 0, InternalError,
              "matmul " << what << ": empty or negative view");
  FERRY_CHECK(v.row_stride == 1 || v.col_stride == 1, InternalError,
              "matmul " << what << ": needs row stride or column stride 1, got " << v.row_stride << " and "
                        << v.col_stride);
}

}  // namespace

MatrixView MatrixView::transposed() const {
  MatrixView t = *this;
  std::swap(t.rows, t.cols);
  std::swap(t.row_stride, t.col_stride);
  return t;
}

MatrixView matrix(const Tensor& t) {
  FERRY_CHECK(t.rank() == 2 || t.rank() == 3, InternalError,
              "matrix view of a tensor of dims " << dims_text(t.dims()));
  const int64_t rows = t.dim(-2), cols = t.dim(-1);
  return {const_cast<void*>(t.raw()), t.dtype(), t.rank() == 3 ? t.dim(0) : 1, rows, cols, rows * cols, cols, 1};
}

MatrixView flat_matrix(const Tensor& t) {
  FERRY_CHECK(t.rank() >= 1, InternalError, "matrix view of a scalar");
  const int64_t cols = t.dim(-1);
  const int64_t rows = cols == 0 ? 0 : t.numel() / cols;
  return {const_cast<void*>(t.raw()), t.dtype(), 1, rows, cols, rows * cols, cols, 1};
}

MatrixView sequence_matrices(const Tensor& t) {
  FERRY_CHECK(t.rank() == 3, InternalError, "sequence view needs {T, N, C}, got " << dims_text(t.dims()));
  const int64_t steps = t.dim(0), batch = t.dim(1), channels = t.dim(2);
  return {const_cast<void*>(t.raw()), t.dtype(), batch, steps, channels, channels, batch * channels, 1};
}

void matmul(const MatrixView& a, const MatrixView& b, const MatrixView& c, WriteMode mode, const float* bias) {
  check_operand(a, "a");
  check_operand(b, "b");
  check_operand(c, "c");
  FERRY_CHECK(c.col_stride == 1, InternalError, "matmul c: needs column stride 1, got " << c.col_stride);
  FERRY_CHECK(a.dtype == b.dtype && c.dtype == DType::kF32, InternalError,
              "matmul: a and b need one element type and c must be f32");
  FERRY_CHECK(
      a.batch == b.batch && a.batch == c.batch && a.cols == b.rows && c.rows == a.rows && c.cols == b.cols,
      InternalError,
      "matmul shapes do not fit: a " << a.batch << "x{" << a.rows << ", " << a.cols << "}, b " << b.batch
                                     << "x{" << b.rows << ", " << b.cols << "}, c " << c.batch << "x{"
                                     << c.rows << ", " << c.cols << "}");
  if (c.batch == 0 || c.rows == 0 || c.cols == 0) return;
  if (a.cols == 0) {  // an empty sum
    if (mode == WriteMode::kOverwrite) zero_matrices(c);
    if (bias != nullptr) add_rows(c, bias);
    return;
  }

  thread_local PrimitiveCache cache(kCacheCapacity);  // a thread's own: a BoundPrimitive holds its arguments
  const PrimKey key = key_of(a, b, c, mode, bias != nullptr);
  BoundPrimitive* primitive = cache.find(key);
  if (primitive == nullptr) primitive = &cache.insert(key, make_matmul(a, b, c, mode, bias != nullptr));
  primitive->bind(DNNL_ARG_SRC, a.data);
  primitive->bind(DNNL_ARG_WEIGHTS, b.data);
  if (bias != nullptr) primitive->bind(DNNL_ARG_BIAS, bias);
  primitive->bind(DNNL_ARG_DST, c.data);
  primitive->run();
}

}  // namespace ferry
