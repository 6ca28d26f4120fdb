#include "core/layers/packed_weight.h"

#include <tuple>

#include "core/context.h"
#include "core/shared_copies.h"
#include "util/error.h"

namespace ferry {
namespace {

using Tag = dnnl::memory::format_tag;

// What a packed copy is of: the parameter's storage, version and the part read (first row, rows, columns,
// transposed, the products' type).
using PackKey = std::tuple<const void*, uint64_t, int64_t, int64_t, int64_t, bool, DType>;

SharedCopies<PackKey, const dnnl::memory>& packed_copies() {
  static SharedCopies<PackKey, const dnnl::memory> copies;
  return copies;
}

dnnl::matmul::primitive_desc product_pd(int64_t rows, const dnnl::memory::desc& weights, bool bias) {
  const dnnl::memory::dims& dims = weights.dims();
  const dnnl::memory::desc x({rows, dims[0]}, weights.data_type(), Tag::ab);
  const dnnl::memory::desc y({rows, dims[1]}, dnnl::memory::data_type::f32, Tag::ab);
  const dnnl::engine& engine = Context::get().engine();
  const dnnl::primitive_attr attr = Context::scratchpad_attr();
  if (!bias) return dnnl::matmul::primitive_desc(dnnl::matmul::desc(x, weights, y), attr, engine);
  const dnnl::memory::desc b({1, dims[1]}, dnnl::memory::data_type::f32, Tag::ab);
  return dnnl::matmul::primitive_desc(dnnl::matmul::desc(x, weights, b, y), attr, engine);
}

}  // namespace

PackedWeight::PackedWeight(const Parameter& param, int64_t first_row, int64_t rows, bool transposed, DType dtype)
    : param_(param),
      first_row_(first_row),
      rows_(rows),
      transposed_(transposed),
      dtype_(dtype),
      primitives_(kPrimitiveCapacity) {
  const int64_t param_rows = param.value.dim(0), param_cols = param.value.numel() / param_rows;
  FERRY_CHECK(dtype == DType::kF32 || dtype == DType::kBF16, InternalError,
              "packed weight of " << param.name << ": products in f32 or bf16 only");
  FERRY_CHECK(first_row >= 0 && rows > 0 && first_row + rows <= param_rows &&
                  (!transposed || (first_row == 0 && rows == param_rows)),
              InternalError,
              "packed weight: rows [" << first_row << ", " << first_row + rows << ")"
                                      << (transposed ? " transposed" : "") << " of " << param.name << " "
                                      << dims_text(param.value.dims()));
  in_ = transposed ? param_cols : rows;
  out_ = transposed ? rows : param_cols;
  const dnnl::memory::desc any({in_, out_}, to_dnnl(dtype), Tag::any);
  packed_desc_ = product_pd(1, any, false).weights_desc();
}

const dnnl::memory& PackedWeight::packed() {
  if (version_ == param_.version) return *packed_;
  const int64_t cols = param_.value.numel() / param_.value.dim(0);
  const PackKey key{param_.value.raw(), param_.version, first_row_, rows_, cols, transposed_, dtype_};
  std::shared_ptr<const dnnl::memory> copy = packed_copies().get(key, [&] {
    dnnl::engine& engine = Context::get().engine();
    // The source as the matrix {in, out} it is read as: a row range, or the transpose, of the parameter.
    const dnnl::memory::dims strides = transposed_ ? dnnl::memory::dims{1, cols} : dnnl::memory::dims{cols, 1};
    const dnnl::memory::desc source_desc({in_, out_}, dnnl::memory::data_type::f32, strides);
    const float* first = param_.value.data() + first_row_ * cols;
    dnnl::memory source(source_desc, engine, const_cast<float*>(first));
    auto made = std::make_shared<dnnl::memory>(packed_desc_, engine);
    dnnl::reorder(source, *made).execute(Context::get().stream(), source, *made);
    Context::get().stream().wait();
    return std::shared_ptr<const dnnl::memory>(std::move(made));
  });
  packed_ = std::move(copy);
  version_ = param_.version;
  return *packed_;
}

BoundPrimitive& PackedWeight::primitive(int64_t rows, bool bias) {
  const PrimKey key{Context::threads(), rows, bias ? 1 : 0};
  if (BoundPrimitive* found = primitives_.find(key)) return *found;
  // The packed layout, named: it does not depend on the row count (checked by the tests).
  return primitives_.insert(key, BoundPrimitive(product_pd(rows, packed_desc_, bias),
                                                {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST}));
}

void PackedWeight::multiply(const Tensor& x, Tensor& y, const float* bias) {
  FERRY_CHECK(x.rank() == 2 && x.dim(1) == in_ && x.dtype() == dtype_, InternalError,
              "packed weight of " << param_.name << ": input " << dims_text(x.dims()) << " for " << in_
                                  << " rows of weight");
  const int64_t rows = x.dim(0);
  y.resize({rows, out_});
  if (rows == 0) return;
  const dnnl::memory& weights = packed();
  BoundPrimitive& p = primitive(rows, bias != nullptr);
  p.bind(DNNL_ARG_SRC, x.raw());
  p.bind(DNNL_ARG_WEIGHTS, weights.get_data_handle());
  if (bias) p.bind(DNNL_ARG_BIAS, bias);
  p.bind(DNNL_ARG_DST, y.raw());
  p.run();
}

}  // namespace ferry
