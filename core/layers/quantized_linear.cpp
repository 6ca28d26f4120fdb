#include "core/layers/quantized_linear.h"

#include <utility>

#include "core/context.h"
#include "core/ops/quantize.h"
#include "util/error.h"

namespace ferry {
namespace {

using DataType = dnnl::memory::data_type;
using Tag = dnnl::memory::format_tag;

dnnl::matmul::primitive_desc product_pd(int64_t rows, int64_t in, int64_t out,
                                        const std::vector<float>& scales) {
  const dnnl::memory::desc x({rows, in}, DataType::s8, Tag::ab);
  const dnnl::memory::desc w({in, out}, DataType::s8, Tag::any);
  const dnnl::memory::desc y({rows, out}, DataType::f32, Tag::ab);
  dnnl::primitive_attr attr = Context::scratchpad_attr();
  attr.set_output_scales(1 << 1, scales);  // one per output column
  return dnnl::matmul::primitive_desc(dnnl::matmul::desc(x, w, y), attr, Context::get().engine());
}

}  // namespace

std::shared_ptr<const QuantizedMatrix> QuantizedLinear::quantize(const MatrixView& w) {
  FERRY_CHECK(w.rows > 0 && w.cols > 0, InternalError, "quantized linear of " << w.rows << " x " << w.cols);
  Context::require_int8_dot_products();
  auto matrix = std::make_shared<QuantizedMatrix>();
  matrix->in = w.rows;
  matrix->out = w.cols;
  Tensor plain({0}, DType::kS8);
  quantize_columns(w, plain, matrix->scales);
  // oneDNN's int8 kernels keep per-column compensation terms inside the weights' layout; the layout does not
  // depend on the row count, so one reordered copy serves every primitive.
  matrix->desc = product_pd(1, matrix->in, matrix->out, matrix->scales).weights_desc();
  dnnl::engine& engine = Context::get().engine();
  matrix->weights = dnnl::memory(matrix->desc, engine);
  dnnl::memory source(dnnl::memory::desc({matrix->in, matrix->out}, DataType::s8, Tag::ab), engine, plain.raw());
  dnnl::reorder(source, matrix->weights).execute(Context::get().stream(), source, matrix->weights);
  Context::get().stream().wait();
  return matrix;
}

QuantizedLinear::QuantizedLinear(const MatrixView& w) : QuantizedLinear(quantize(w)) {}

QuantizedLinear::QuantizedLinear(std::shared_ptr<const QuantizedMatrix> matrix)
    : matrix_(std::move(matrix)), primitives_(kPrimitiveCapacity) {}

BoundPrimitive& QuantizedLinear::primitive(int64_t rows) {
  const PrimKey key{Context::threads(), rows};
  if (BoundPrimitive* found = primitives_.find(key)) return *found;
  const dnnl::matmul::primitive_desc pd = product_pd(rows, matrix_->in, matrix_->out, matrix_->scales);
  FERRY_CHECK(pd.weights_desc() == matrix_->desc, InternalError,
              "quantized linear: the int8 weight layout for " << rows << " rows differs from the stored one");
  return primitives_.insert(key, BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}));
}

void QuantizedLinear::multiply(const Tensor& x, Tensor& products) {
  FERRY_CHECK(x.rank() == 2 && x.dim(1) == in() && x.dtype() == DType::kS8, InternalError,
              "quantized linear input: expected int8 [M, " << in() << "], got " << dims_text(x.dims()));
  const int64_t rows = x.dim(0);
  products.resize({rows, out()});
  if (rows == 0) return;
  BoundPrimitive& p = primitive(rows);
  p.bind(DNNL_ARG_SRC, x.raw());
  p.bind(DNNL_ARG_WEIGHTS, matrix_->weights.get_data_handle());
  p.bind(DNNL_ARG_DST, products.raw());
  p.run();
}

}  // namespace ferry
