#include "core/layers/quantized_linear.h"

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

QuantizedLinear::QuantizedLinear(const MatrixView& w)
    : in_(w.rows), out_(w.cols), primitives_(kPrimitiveCapacity) {
  FERRY_CHECK(in_ > 0 && out_ > 0, InternalError, "quantized linear of " << in_ << " x " << out_);
  Context::require_int8_dot_products();
  Tensor plain({0}, DType::kS8);
  quantize_columns(w, plain, scales_);
  // oneDNN's int8 kernels keep per-column compensation terms inside the weights' layout; the layout does not
  // depend on the row count, so one reordered copy serves every primitive.
  weights_desc_ = product_pd(1, in_, out_, scales_).weights_desc();
  dnnl::engine& engine = Context::get().engine();
  weights_ = dnnl::memory(weights_desc_, engine);
  dnnl::memory source(dnnl::memory::desc({in_, out_}, DataType::s8, Tag::ab), engine, plain.raw());
  dnnl::reorder(source, weights_).execute(Context::get().stream(), source, weights_);
  Context::get().stream().wait();
}

BoundPrimitive& QuantizedLinear::primitive(int64_t rows) {
  const PrimKey key{Context::threads(), rows};
  if (BoundPrimitive* found = primitives_.find(key)) return *found;
  const dnnl::matmul::primitive_desc pd = product_pd(rows, in_, out_, scales_);
  FERRY_CHECK(pd.weights_desc() == weights_desc_, InternalError,
              "quantized linear: the int8 weight layout for " << rows << " rows differs from the stored one");
  return primitives_.insert(key, BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}));
}

void QuantizedLinear::multiply(const Tensor& x, Tensor& products) {
  FERRY_CHECK(x.rank() == 2 && x.dim(1) == in_ && x.dtype() == DType::kS8, InternalError,
              "quantized linear input: expected int8 [M, " << in_ << "], got " << dims_text(x.dims()));
  const int64_t rows = x.dim(0);
  products.resize({rows, out_});
  if (rows == 0) return;
  BoundPrimitive& p = primitive(rows);
  p.bind(DNNL_ARG_SRC, x.raw());
  p.bind(DNNL_ARG_WEIGHTS, weights_.get_data_handle());
  p.bind(DNNL_ARG_DST, products.raw());
  p.run();
}

}  // namespace ferry
