#include "core/layers/matmul_lstm.h"

#include <algorithm>

#include "core/context.h"
#include "core/ops/convert.h"
#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"
#include "util/round_up.h"

namespace ferry {
namespace {

using Tag = dnnl::memory::format_tag;
using DataType = dnnl::memory::data_type;

// Products over all T·N rows of a sequence run over the rows rounded up to a multiple of this (zeros in the
// extra rows of what they read), so that batches of many shapes share a few dozen primitives rather than
// each creating its own.
constexpr int64_t kRowQuantum = 64;
// Room for every product at every rounded row count of the reference model's batches (up to about 2,100
// rows).
constexpr size_t kProductCapacity = 240;
// The cell passes over N·H elements use threads from here on: they run at every step, and most steps of the
// reference model have 16 K elements.
constexpr int64_t kCellParallelMinElements = 4096;

bool absent(const Tensor& t) { return t.rank() == 0 || t.empty(); }

dnnl::memory::desc plain(int64_t rows, int64_t cols, Tag tag = Tag::ab, DataType type = DataType::f32) {
  return dnnl::memory::desc({rows, cols}, type, tag);
}

dnnl::memory::desc any(int64_t rows, int64_t cols, DataType type) {
  return dnnl::memory::desc({rows, cols}, type, Tag::any);
}

// Zeros rows [from, to) of a row-major matrix of `cols` columns.
void zero_rows(float* data, int64_t from, int64_t to, int64_t cols) {
  if (to > from) std::fill(data + from * cols, data + to * cols, 0.0f);
}

inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// out[j] += sum over r of rows[r·cols + j], columns split between threads in cache-line blocks, rows summed
// in order (the same result for every thread count).
void add_column_sums(const float* rows, int64_t row_count, int64_t cols, float* out) {
  constexpr int64_t kBlock = 4 * kFloatsPerCacheLine;
  const int64_t blocks = (cols + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (row_count * cols >= kParallelMinElements)
  for (int64_t block = 0; block < blocks; ++block) {
    const int64_t begin = block * kBlock, width = std::min(kBlock, cols - begin);
    float sum[kBlock] = {};
    for (int64_t r = 0; r < row_count; ++r) {
      const float* row = rows + r * cols + begin;
#pragma omp simd
      for (int64_t j = 0; j < width; ++j) sum[j] += row[j];
    }
    for (int64_t j = 0; j < width; ++j) out[begin + j] += sum[j];
  }
}

void check_state(const Tensor& state, int64_t batch, int64_t hidden, const char* what) {
  if (!absent(state)) check_dims(state, {batch, hidden}, what);
}

}  // namespace

MatmulLstm::MatmulLstm(Parameter& weights_layer, Parameter& weights_iter, Parameter& bias, DType compute)
    : weights_layer_(weights_layer),
      weights_iter_(weights_iter),
      bias_(bias),
      input_size_(weights_layer.value.dim(0)),
      hidden_size_(weights_iter.value.dim(0)),
      compute_(compute),
      w_layer_(weights_layer, plain(input_size_, 4 * hidden_size_)),
      w_layer_t_(weights_layer, plain(4 * hidden_size_, input_size_, Tag::ba)),
      w_iter_(weights_iter, plain(hidden_size_, 4 * hidden_size_)),
      w_iter_t_(weights_iter, plain(4 * hidden_size_, hidden_size_, Tag::ba)),
      products_(kProductCapacity),
      src_({0}),
      h_({0}),
      c_({0}),
      gates_({0}),
      d_gates_({0}),
      d_src_({0}),
      src_low_({0}, compute),
      h_low_({0}, compute),
      d_gates_low_({0}, compute),
      carry_h_({0}),
      carry_c_({0}) {
  FERRY_CHECK(weights_layer.value.rank() == 3 && weights_layer.value.dim(1) == 4 &&
                  weights_layer.value.dim(2) == hidden_size_,
              InternalError, "MatmulLstm: weights_layer must be {I, 4, H}");
}

int64_t MatmulLstm::reorder_count() const {
  return w_layer_.reorder_count() + w_layer_t_.reorder_count() + w_iter_.reorder_count() +
         w_iter_t_.reorder_count();
}

BoundPrimitive& MatmulLstm::product(Product kind, int64_t rows) {
  const PrimKey key{static_cast<int64_t>(kind), rows, Context::threads()};
  if (BoundPrimitive* found = products_.find(key)) return *found;
  const int64_t in = input_size_, hidden = hidden_size_, gates = 4 * hidden_size_;
  dnnl::primitive_attr attr = Context::scratchpad_attr();
  const bool accumulate =
      kind == Product::kStepForward || kind == Product::kLayerGradient || kind == Product::kIterGradient;
  if (accumulate) {
    dnnl::post_ops sum;
    sum.append_sum(1.0f);
    attr.set_post_ops(sum);
  }
  // Source, weights and destination of each product; weights that are parameters in the layout the
  // primitive prefers, data in the layouts the buffers have (a gradient product reads its saved rows
  // transposed).
  dnnl::memory::desc a, b, c;
  const DataType t = to_dnnl(compute_);
  switch (kind) {
    case Product::kStepForward:
      a = plain(rows, hidden, Tag::ab, t), b = any(hidden, gates, t), c = plain(rows, gates);
      break;
    case Product::kStepBackward:
      a = plain(rows, gates, Tag::ab, t), b = any(gates, hidden, t), c = plain(rows, hidden);
      break;
    case Product::kInput:
      a = plain(rows, in, Tag::ab, t), b = any(in, gates, t), c = plain(rows, gates);
      break;
    case Product::kLayerGradient:
      a = plain(in, rows, Tag::ba, t), b = plain(rows, gates, Tag::ab, t), c = plain(in, gates);
      break;
    case Product::kIterGradient:
      a = plain(hidden, rows, Tag::ba, t), b = plain(rows, gates, Tag::ab, t), c = plain(hidden, gates);
      break;
    case Product::kInputGradient:
      a = plain(rows, gates, Tag::ab, t), b = any(gates, in, t), c = plain(rows, in);
      break;
  }
  dnnl::engine& engine = Context::get().engine();
  if (kind == Product::kInput) {
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, plain(1, gates), c), attr, engine);
    return products_.insert(
        key, BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST}));
  }
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), attr, engine);
  return products_.insert(key, BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}));
}

void MatmulLstm::run(Product kind, int64_t rows, const void* a, const void* b, void* c) {
  BoundPrimitive& p = product(kind, rows);
  p.bind(DNNL_ARG_SRC, a);
  p.bind(DNNL_ARG_WEIGHTS, b);
  p.bind(DNNL_ARG_DST, c);
  if (kind == Product::kInput) p.bind(DNNL_ARG_BIAS, bias_.value.data());
  p.run();
}

const void* MatmulLstm::operand(const Tensor& saved, const Tensor& low, int64_t offset) const {
  if (compute_ == DType::kF32) return saved.data() + offset;
  return static_cast<const uint16_t*>(low.raw()) + offset;
}

void MatmulLstm::round_into(const Tensor& saved, Tensor& low, int64_t offset, int64_t n) const {
  if (compute_ == DType::kF32 || n <= 0) return;
  round_to_bf16(saved.data() + offset, n, static_cast<uint16_t*>(low.raw()) + offset);
}

void MatmulLstm::cell_forward(int64_t t) {
  const int64_t batch = batch_, hidden = hidden_size_;
  float* gates = gates_.data() + t * batch * 4 * hidden;
  const float* c_prev = c_.data() + t * batch * hidden;
  float* c_next = c_.data() + (t + 1) * batch * hidden;
  float* h_next = h_.data() + (t + 1) * batch * hidden;
#pragma omp parallel for schedule(static) if (batch * hidden >= kCellParallelMinElements)
  for (int64_t n = 0; n < batch; ++n) {
    float* i = gates + n * 4 * hidden;
    float* f = i + hidden;
    float* g = f + hidden;
    float* o = g + hidden;
    const float* cp = c_prev + n * hidden;
    float* c = c_next + n * hidden;
    float* h = h_next + n * hidden;
#pragma omp simd
    for (int64_t j = 0; j < hidden; ++j) {
      i[j] = sigmoid(i[j]);
      f[j] = sigmoid(f[j]);
      g[j] = fast_tanh(g[j]);
      o[j] = sigmoid(o[j]);
      c[j] = f[j] * cp[j] + i[j] * g[j];
      h[j] = o[j] * fast_tanh(c[j]);
    }
  }
}

void MatmulLstm::forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst,
                                  Tensor& c_last) {
  FERRY_CHECK(src.rank() == 3 && src.dim(2) == input_size_, InternalError,
              "MatmulLstm input: expected [T, N, " << input_size_ << "], got " << dims_text(src.dims()));
  steps_ = src.dim(0);
  batch_ = src.dim(1);
  const int64_t steps = steps_, batch = batch_, hidden = hidden_size_, rows = steps * batch;
  check_state(h0, batch, hidden, "MatmulLstm h0");
  check_state(c0, batch, hidden, "MatmulLstm c0");
  check_state(c_last, batch, hidden, "MatmulLstm final c");
  check_dims(dst, {steps, batch, hidden}, "MatmulLstm output");

  // Rows beyond T·N: zero input rows for the input product (their gates are never read), and h rows that
  // are finite, since the weight gradient multiplies them by zero gradients.
  const int64_t padded = round_up(rows, kRowQuantum), state = batch * hidden;
  src_.resize({padded, input_size_});
  std::copy_n(src.data(), rows * input_size_, src_.data());
  zero_rows(src_.data(), rows, padded, input_size_);
  h_.resize({std::max(rows + batch, padded), hidden});
  zero_rows(h_.data(), rows + batch, padded, hidden);
  c_.resize({steps + 1, batch, hidden});
  if (absent(h0)) {
    std::fill_n(h_.data(), state, 0.0f);
  } else {
    std::copy_n(h0.data(), state, h_.data());
  }
  if (absent(c0)) {
    std::fill_n(c_.data(), state, 0.0f);
  } else {
    std::copy_n(c0.data(), state, c_.data());
  }

  if (compute_ != DType::kF32) {
    src_low_.resize(src_.dims());
    round_into(src_, src_low_, 0, padded * input_size_);
    h_low_.resize(h_.dims());
    round_into(h_, h_low_, 0, state);
    round_into(h_, h_low_, (rows + batch) * hidden, (padded - rows - batch) * hidden);
  }

  gates_.resize({padded, 4 * hidden});
  BoundPrimitive& input = product(Product::kInput, padded);
  run(Product::kInput, padded, operand(src_, src_low_, 0), w_layer_.data(input.desc(DNNL_ARG_WEIGHTS)),
      gates_.data());
  BoundPrimitive& step = product(Product::kStepForward, batch);
  step.bind(DNNL_ARG_WEIGHTS, w_iter_.data(step.desc(DNNL_ARG_WEIGHTS)));
  for (int64_t t = 0; t < steps; ++t) {
    // Nothing to add from a zero initial state.
    if (t > 0 || !absent(h0)) {
      step.bind(DNNL_ARG_SRC, operand(h_, h_low_, t * state));
      step.bind(DNNL_ARG_DST, gates_.data() + t * batch * 4 * hidden);
      step.run();
    }
    cell_forward(t);
    round_into(h_, h_low_, (t + 1) * state, state);
  }
  std::copy_n(h_.data() + state, steps * state, dst.data());
  if (!absent(c_last)) std::copy_n(c_.data() + steps * state, state, c_last.data());
}

void MatmulLstm::cell_backward(int64_t t, const float* d_dst) {
  const int64_t batch = batch_, hidden = hidden_size_;
  const float* gates = gates_.data() + t * batch * 4 * hidden;
  float* d_gates = d_gates_.data() + t * batch * 4 * hidden;
  const float* c_prev = c_.data() + t * batch * hidden;
  const float* c_now = c_.data() + (t + 1) * batch * hidden;
  const float* carry_h = carry_h_.data();
  float* carry_c = carry_c_.data();
#pragma omp parallel for schedule(static) if (batch * hidden >= kCellParallelMinElements)
  for (int64_t n = 0; n < batch; ++n) {
    const float* i = gates + n * 4 * hidden;
    const float* f = i + hidden;
    const float* g = f + hidden;
    const float* o = g + hidden;
    float* di = d_gates + n * 4 * hidden;
    float* df = di + hidden;
    float* dg = df + hidden;
    float* d_o = dg + hidden;
    const float* cp = c_prev + n * hidden;
    const float* c = c_now + n * hidden;
    const float* dy = d_dst + n * hidden;
    const float* dh_carried = carry_h + n * hidden;
    float* dc_carried = carry_c + n * hidden;
#pragma omp simd
    for (int64_t j = 0; j < hidden; ++j) {
      const float dh = dy[j] + dh_carried[j];
      const float tc = fast_tanh(c[j]);
      const float dc = dc_carried[j] + dh * o[j] * (1.0f - tc * tc);
      d_o[j] = dh * tc * o[j] * (1.0f - o[j]);
      di[j] = dc * g[j] * i[j] * (1.0f - i[j]);
      df[j] = dc * cp[j] * f[j] * (1.0f - f[j]);
      dg[j] = dc * i[j] * (1.0f - g[j] * g[j]);
      dc_carried[j] = dc * f[j];
    }
  }
}

void MatmulLstm::backward(const Tensor& d_dst, Tensor& d_src, Tensor& d_h0, Tensor& d_c0) {
  FERRY_CHECK(steps_ > 0, InternalError, "MatmulLstm backward without a pending forward_training");
  const int64_t steps = steps_, batch = batch_, hidden = hidden_size_, rows = steps * batch;
  const int64_t state = batch * hidden;
  check_dims(d_dst, {steps, batch, hidden}, "MatmulLstm output gradient");
  check_dims(d_src, {steps, batch, input_size_}, "MatmulLstm input gradient");
  check_state(d_h0, batch, hidden, "MatmulLstm h0 gradient");
  check_state(d_c0, batch, hidden, "MatmulLstm c0 gradient");

  const int64_t padded = round_up(rows, kRowQuantum), gates = 4 * hidden;
  d_gates_.resize({padded, gates});
  zero_rows(d_gates_.data(), rows, padded, gates);
  if (compute_ != DType::kF32) {
    d_gates_low_.resize(d_gates_.dims());
    round_into(d_gates_, d_gates_low_, rows * gates, (padded - rows) * gates);
  }
  // Nothing flows in through the final state.
  carry_h_.resize({batch, hidden});
  carry_h_.zero();
  carry_c_.resize({batch, hidden});
  carry_c_.zero();
  BoundPrimitive& step = product(Product::kStepBackward, batch);
  step.bind(DNNL_ARG_WEIGHTS, w_iter_t_.data(step.desc(DNNL_ARG_WEIGHTS)));
  for (int64_t t = steps - 1; t >= 0; --t) {
    cell_backward(t, d_dst.data() + t * state);
    round_into(d_gates_, d_gates_low_, t * batch * gates, batch * gates);
    if (t > 0 || !absent(d_h0)) {
      step.bind(DNNL_ARG_SRC, operand(d_gates_, d_gates_low_, t * batch * gates));
      step.bind(DNNL_ARG_DST, t > 0 ? carry_h_.data() : d_h0.data());
      step.run();
    }
  }
  if (!absent(d_c0)) std::copy_n(carry_c_.data(), state, d_c0.data());

  const void* d_gates = operand(d_gates_, d_gates_low_, 0);
  run(Product::kLayerGradient, padded, operand(src_, src_low_, 0), d_gates, weights_layer_.grad.data());
  run(Product::kIterGradient, padded, operand(h_, h_low_, 0), d_gates, weights_iter_.grad.data());
  add_column_sums(d_gates_.data(), rows, gates, bias_.grad.data());
  BoundPrimitive& input_gradient = product(Product::kInputGradient, padded);
  d_src_.resize({padded, input_size_});
  run(Product::kInputGradient, padded, d_gates, w_layer_t_.data(input_gradient.desc(DNNL_ARG_WEIGHTS)),
      d_src_.data());
  std::copy_n(d_src_.data(), rows * input_size_, d_src.data());
  steps_ = 0;
}

}  // namespace ferry
