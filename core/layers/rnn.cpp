#include "core/layers/rnn.h"

#include <algorithm>
#include <utility>

#include "core/layers/rnn_kernel.h"
#include "core/ops/arith.h"
#include "core/ops/convert.h"
#include "util/error.h"

namespace ferry {
namespace {

using dnnl::prop_kind;
using Tag = dnnl::memory::format_tag;
using DataType = dnnl::memory::data_type;

const std::vector<int> kRnnArgs = {
    DNNL_ARG_SRC_LAYER,       DNNL_ARG_SRC_ITER,           DNNL_ARG_SRC_ITER_C,
    DNNL_ARG_WEIGHTS_LAYER,   DNNL_ARG_WEIGHTS_ITER,       DNNL_ARG_BIAS,
    DNNL_ARG_DST_LAYER,       DNNL_ARG_DST_ITER,           DNNL_ARG_DST_ITER_C,
    DNNL_ARG_WORKSPACE,       DNNL_ARG_DIFF_SRC_LAYER,     DNNL_ARG_DIFF_SRC_ITER,
    DNNL_ARG_DIFF_SRC_ITER_C, DNNL_ARG_DIFF_WEIGHTS_LAYER, DNNL_ARG_DIFF_WEIGHTS_ITER,
    DNNL_ARG_DIFF_BIAS,       DNNL_ARG_DIFF_DST_LAYER,     DNNL_ARG_DIFF_DST_ITER,
    DNNL_ARG_DIFF_DST_ITER_C};

// An optional argument is absent when the caller passes a default-constructed (rank 0, no storage) or
// zero-element tensor.
bool absent(const Tensor& t) { return t.rank() == 0 || t.empty(); }

void check_tensor(const Tensor& t, const Dims& dims, DType dtype, const char* what) {
  check_dims(t, dims, what);
  FERRY_CHECK(t.dtype() == dtype, InternalError, what << ": wrong element type");
}

// Copies (converting the element type if need be) `state` into `buffer` resized to {N, H}, or zeros the
// buffer when `state` is absent.
void load_state(const Tensor& state, const Dims& dims, Tensor& buffer) {
  buffer.resize(dims);
  if (absent(state)) {
    buffer.zero();
  } else {
    convert(state, buffer);
  }
}

// The data of `state`, or of `scratch` resized to `dims` if `state` is absent.
void* state_or_scratch(const Tensor& state, const Dims& dims, Tensor& scratch) {
  if (!absent(state)) return const_cast<void*>(state.raw());
  scratch.resize(dims);
  return scratch.raw();
}

// What src_iter reads: `state` itself; zeros in `scratch` when it is absent; or, when `out` (what dst_iter
// writes) is the same buffer, a copy in `scratch`: oneDNN may write dst_iter while other threads still
// read src_iter, so one buffer is never bound to both.
void* iter_source(const Tensor& state, const Tensor& out, const Dims& dims, Tensor& scratch) {
  if (!absent(state) && (absent(out) || out.raw() != state.raw())) return const_cast<void*>(state.raw());
  load_state(state, dims, scratch);
  return scratch.raw();
}

}  // namespace

RnnLayer::RnnLayer(ParamRegistry& params, const std::string& scope, CellKind cell, int64_t input_size,
                   int64_t hidden_size, Precision precision)
    : cell_(cell),
      input_size_(input_size),
      hidden_size_(hidden_size),
      precision_(precision),
      dtype_(compute_type(precision)),
      weights_(params, scope, cell, input_size, hidden_size),
      primitives_(kPrimitiveCapacity),
      saved_src_({0}, dtype_),
      saved_h0_({0}, dtype_),
      saved_c0_({0}),
      saved_dst_({0}, dtype_),
      saved_h_last_({0}, dtype_),
      saved_c_last_({0}),
      zero_state_grad_({0}),
      workspace_({0}),
      scratch_h_({0}, dtype_),
      scratch_c_({0}),
      sink_h_({0}, dtype_),
      sink_c_({0}),
      grad_scratch_h_({0}),
      grad_scratch_c_({0}),
      converted_src_({0}, dtype_),
      converted_dst_({0}, dtype_),
      step_src_({0}, dtype_),
      step_h_({0}, dtype_),
      step_c_({0}),
      step_workspace_({0}),
      carry_h_{Tensor({0}), Tensor({0})},
      carry_c_{Tensor({0}), Tensor({0})},
      step_sink_h_({0}, dtype_) {
  if (precision_ == Precision::kInt8)
    stepwise_ = std::make_unique<StepwiseRnn>(cell, weights_.weights_layer(), weights_.weights_iter(),
                                              weights_.bias(), precision_);
  if (precision_ != Precision::kInt8 && cell_ == CellKind::kLstm && params.has_gradients())
    matmul_lstm_ =
        std::make_unique<MatmulLstm>(params.get(scope + "/weights_layer"), params.get(scope + "/weights_iter"),
                                     params.get(scope + "/bias"), dtype_);
}

int64_t RnnLayer::primitive_count() const {
  return static_cast<int64_t>(primitives_.size()) + (matmul_lstm_ ? matmul_lstm_->primitive_count() : 0);
}

int64_t RnnLayer::weight_reorder_count() const {
  return weights_.reorder_count() + (matmul_lstm_ ? matmul_lstm_->reorder_count() : 0);
}

RnnDescs RnnLayer::descs(prop_kind prop, int64_t steps, int64_t batch, DataType type,
                         bool final_state) const {
  const dnnl::memory::desc state({1, 1, batch, hidden_size_}, type, Tag::ldnc);
  // The LSTM cell state stays f32 whatever the activations' type (more exact; oneDNN allows either).
  const dnnl::memory::desc cell_state({1, 1, batch, hidden_size_}, DataType::f32, Tag::ldnc);
  const bool lstm = has_cell_state(cell_);
  RnnDescs d;
  d.src_layer = dnnl::memory::desc({steps, batch, input_size_}, type, Tag::tnc);
  d.src_iter = state;
  if (lstm) d.src_iter_c = cell_state;
  d.weights_layer = dnnl::memory::desc({1, 1, input_size_, gate_count(cell_), hidden_size_}, type, Tag::any);
  d.weights_iter = dnnl::memory::desc({1, 1, hidden_size_, gate_count(cell_), hidden_size_}, type, Tag::any);
  d.bias = dnnl::memory::desc({1, 1, bias_gate_count(cell_), hidden_size_}, DataType::f32, Tag::ldgo);
  d.dst_layer = dnnl::memory::desc({steps, batch, hidden_size_}, type, Tag::tnc);
  // Whole-sequence training reads the final h from dst_layer, so only inference and training that needs the
  // final cell state (and, step-wise, its gradient) output it separately.
  if (prop == prop_kind::forward_inference || final_state) {
    d.dst_iter = state;
    if (lstm) d.dst_iter_c = cell_state;
  }
  return d;
}

BoundPrimitive& RnnLayer::primitive(prop_kind prop, int64_t steps, int64_t batch, bool final_state) {
  const PrimKey key{static_cast<int64_t>(prop), steps, batch, final_state ? 1 : 0};
  if (BoundPrimitive* found = primitives_.find(key)) return *found;
  dnnl::primitive_desc pd;
  if (prop == prop_kind::backward) {
    const dnnl::primitive_desc_base& forward =
        primitive(prop_kind::forward_training, steps, batch, final_state).pd();
    // All gradients are f32, whatever the activations' type.
    pd =
        rnn_backward_pd(cell_, descs(prop_kind::forward_training, steps, batch, to_dnnl(dtype_), final_state),
                        descs(prop, steps, batch, DataType::f32, final_state), forward);
  } else {
    pd = rnn_forward_pd(cell_, prop, descs(prop, steps, batch, to_dnnl(dtype_), final_state));
  }
  return primitives_.insert(key, BoundPrimitive(pd, kRnnArgs));
}

void RnnLayer::check_state(const Tensor& state, int64_t batch, bool allowed, const char* what) const {
  if (absent(state)) return;
  FERRY_CHECK(allowed, InternalError, what << " given where the " << cell_name(cell_) << " layer takes none");
  check_tensor(state, {batch, hidden_size_}, DType::kF32, what);
}

std::pair<int64_t, int64_t> RnnLayer::check_forward(const Tensor& src, const Tensor& h0, const Tensor& c0,
                                                    const Tensor& dst) const {
  FERRY_CHECK(src.rank() == 3 && src.dim(0) > 0 && src.dim(1) > 0, InternalError,
              "RNN input: expected dims [T, N, " << input_size_ << "], got " << dims_text(src.dims()));
  const int64_t steps = src.dim(0), batch = src.dim(1);
  check_tensor(src, {steps, batch, input_size_}, DType::kF32, "RNN input");
  check_state(h0, batch, true, "RNN h0");
  check_state(c0, batch, has_cell_state(cell_), "RNN c0");
  check_tensor(dst, {steps, batch, hidden_size_}, DType::kF32, "RNN output");
  return {steps, batch};
}

void RnnLayer::forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst) {
  Tensor no_state;
  forward_training(src, h0, c0, dst, no_state);
}

void RnnLayer::forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst,
                                Tensor& c_last) {
  FERRY_CHECK(precision_ != Precision::kInt8, InternalError, "an RNN layer with int8 weights cannot be trained");
  const auto [steps, batch] = check_forward(src, h0, c0, dst);
  const bool lstm = has_cell_state(cell_);
  check_state(c_last, batch, lstm, "RNN final c");
  const bool final_state = !absent(c_last);
  if (matmul_lstm_ && rnn_training_kernel() == RnnTrainingKernel::kMatmul) {
    matmul_lstm_->forward_training(src, h0, c0, dst, c_last);
    pending_ = {steps, batch, !absent(h0), !absent(c0), final_state, true};
    return;
  }

  BoundPrimitive& p = primitive(prop_kind::forward_training, steps, batch, final_state);
  saved_src_.resize(src.dims());
  convert(src, saved_src_);
  load_state(h0, {batch, hidden_size_}, saved_h0_);
  saved_dst_.resize(dst.dims());
  const size_t workspace_bytes = p.desc(DNNL_ARG_WORKSPACE).get_size();
  workspace_.resize({static_cast<int64_t>((workspace_bytes + 3) / 4)});

  p.bind(DNNL_ARG_SRC_LAYER, saved_src_.raw());
  p.bind(DNNL_ARG_SRC_ITER, saved_h0_.raw());
  if (lstm) {
    load_state(c0, {batch, hidden_size_}, saved_c0_);
    p.bind(DNNL_ARG_SRC_ITER_C, saved_c0_.raw());
  }
  weights_.bind_values(p);
  p.bind(DNNL_ARG_DST_LAYER, saved_dst_.raw());
  p.bind(DNNL_ARG_WORKSPACE, workspace_.raw());
  if (final_state) {
    saved_h_last_.resize({batch, hidden_size_});
    saved_c_last_.resize({batch, hidden_size_});
    p.bind(DNNL_ARG_DST_ITER, saved_h_last_.raw());
    p.bind(DNNL_ARG_DST_ITER_C, saved_c_last_.raw());
  }
  p.run();
  convert(saved_dst_, dst);
  if (final_state) c_last.copy_from(saved_c_last_);
  pending_ = {steps, batch, !absent(h0), !absent(c0), final_state};
}

void RnnLayer::backward(const Tensor& d_dst, Tensor& d_src, Tensor& d_h0, Tensor& d_c0) {
  FERRY_CHECK(pending_.steps > 0, InternalError, "RNN backward without a pending forward_training");
  const int64_t steps = pending_.steps, batch = pending_.batch;
  const bool lstm = has_cell_state(cell_);
  check_tensor(d_dst, {steps, batch, hidden_size_}, DType::kF32, "RNN output gradient");
  check_tensor(d_src, {steps, batch, input_size_}, DType::kF32, "RNN input gradient");
  check_state(d_h0, batch, pending_.has_h0, "RNN h0 gradient");
  check_state(d_c0, batch, pending_.has_c0, "RNN c0 gradient");
  if (pending_.matmul) {
    matmul_lstm_->backward(d_dst, d_src, d_h0, d_c0);
    pending_ = Pending();
    return;
  }

  BoundPrimitive& p = primitive(prop_kind::backward, steps, batch, pending_.final_state);
  p.bind(DNNL_ARG_SRC_LAYER, saved_src_.raw());
  p.bind(DNNL_ARG_SRC_ITER, saved_h0_.raw());
  weights_.bind_values(p);
  p.bind(DNNL_ARG_DST_LAYER, saved_dst_.raw());
  p.bind(DNNL_ARG_WORKSPACE, workspace_.raw());
  p.bind(DNNL_ARG_DIFF_DST_LAYER, d_dst.raw());
  p.bind(DNNL_ARG_DIFF_SRC_LAYER, d_src.raw());
  p.bind(DNNL_ARG_DIFF_SRC_ITER, state_or_scratch(d_h0, {batch, hidden_size_}, grad_scratch_h_));
  if (lstm) {
    p.bind(DNNL_ARG_SRC_ITER_C, saved_c0_.raw());
    p.bind(DNNL_ARG_DIFF_SRC_ITER_C, state_or_scratch(d_c0, {batch, hidden_size_}, grad_scratch_c_));
  }
  if (pending_.final_state) {
    zero_state_grad_.resize({batch, hidden_size_});
    zero_state_grad_.zero();
    p.bind(DNNL_ARG_DST_ITER, saved_h_last_.raw());
    p.bind(DNNL_ARG_DST_ITER_C, saved_c_last_.raw());
    p.bind(DNNL_ARG_DIFF_DST_ITER, zero_state_grad_.raw());
    p.bind(DNNL_ARG_DIFF_DST_ITER_C, zero_state_grad_.raw());
  }
  weights_.bind_gradient_accumulators(p);
  p.run();
  weights_.add_gradients_to_grads();
  pending_ = Pending();
}

void RnnLayer::forward_inference(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst,
                                 Tensor& h_last, Tensor& c_last) {
  const auto [steps, batch] = check_forward(src, h0, c0, dst);
  const bool lstm = has_cell_state(cell_);
  check_state(h_last, batch, true, "RNN final h");
  check_state(c_last, batch, lstm, "RNN final c");
  // A single step's products run at the f32 peak on packed weights, where the RNN primitive's step reaches
  // about 85% of it (160 rows of the reference model's second decoder layer: 3.7 ms against 3.0 + the cells).
  if (precision_ == Precision::kInt8 || steps == 1) {
    if (!stepwise_)
      stepwise_ = std::make_unique<StepwiseRnn>(cell_, weights_.weights_layer(), weights_.weights_iter(),
                                                weights_.bias(), precision_);
    forward_stepwise(src, h0, c0, dst, h_last, c_last);
    return;
  }

  BoundPrimitive& p = primitive(prop_kind::forward_inference, steps, batch);
  const Dims state_dims = {batch, hidden_size_};
  // In f32 the caller's tensors are bound as they are; other types go through converted copies.
  const bool f32 = dtype_ == DType::kF32;
  if (f32) {
    p.bind(DNNL_ARG_SRC_LAYER, src.raw());
    p.bind(DNNL_ARG_SRC_ITER, iter_source(h0, h_last, state_dims, scratch_h_));
    p.bind(DNNL_ARG_DST_ITER, state_or_scratch(h_last, state_dims, sink_h_));
    p.bind(DNNL_ARG_DST_LAYER, dst.raw());
  } else {
    converted_src_.resize(src.dims());
    convert(src, converted_src_);
    p.bind(DNNL_ARG_SRC_LAYER, converted_src_.raw());
    load_state(h0, state_dims, scratch_h_);
    p.bind(DNNL_ARG_SRC_ITER, scratch_h_.raw());
    sink_h_.resize(state_dims);
    p.bind(DNNL_ARG_DST_ITER, sink_h_.raw());
    converted_dst_.resize(dst.dims());
    p.bind(DNNL_ARG_DST_LAYER, converted_dst_.raw());
  }
  if (lstm) {
    p.bind(DNNL_ARG_SRC_ITER_C, iter_source(c0, c_last, state_dims, scratch_c_));
    p.bind(DNNL_ARG_DST_ITER_C, state_or_scratch(c_last, state_dims, sink_c_));
  }
  weights_.bind_values(p);
  p.run();
  if (!f32) {
    convert(converted_dst_, dst);
    if (!absent(h_last)) convert(sink_h_, h_last);
  }
}

void RnnLayer::forward_stepwise(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst,
                                Tensor& h_last, Tensor& c_last) {
  // The state is updated in h_last / c_last (a stand-in when not wanted), starting from h0 / c0 (zeros when
  // absent); a state updated in place is already where it starts.
  const Dims state_dims = {src.dim(1), hidden_size_};
  const auto start = [&](const Tensor& initial, Tensor& last, Tensor& stand_in) -> Tensor& {
    Tensor& state = absent(last) ? stand_in : last;
    if (absent(initial) || initial.raw() != state.raw()) load_state(initial, state_dims, state);
    return state;
  };
  Tensor& h = start(h0, h_last, stepwise_h_);
  Tensor no_state;
  Tensor& c = has_cell_state(cell_) ? start(c0, c_last, stepwise_c_) : no_state;
  stepwise_->forward(src, h, c, dst);
}

void RnnLayer::begin_steps(int64_t steps, int64_t batch, const Tensor& h0, const Tensor& c0,
                           const Tensor& recurrent_mask) {
  FERRY_CHECK(precision_ != Precision::kInt8, InternalError, "an RNN layer with int8 weights cannot be trained");
  FERRY_CHECK(steps > 0 && batch > 0, InternalError,
              "RNN steps: " << steps << " steps of " << batch << " rows");
  const bool lstm = has_cell_state(cell_);
  check_state(h0, batch, true, "RNN h0");
  check_state(c0, batch, lstm, "RNN c0");
  const Dims state_dims = {batch, hidden_size_};
  const size_t workspace_bytes =
      primitive(prop_kind::forward_training, 1, batch, true).desc(DNNL_ARG_WORKSPACE).get_size();
  constexpr int64_t kLineWords = 16;  // each step's workspace starts on a cache line
  const auto words = static_cast<int64_t>((workspace_bytes + 3) / 4);
  steps_ = {steps, batch, 0, 0, (words + kLineWords - 1) / kLineWords * kLineWords};
  step_src_.resize({steps, batch, input_size_});
  step_h_.resize({steps + 1, batch, hidden_size_});
  Tensor h_start = step_h_.slice(0, 1).reshaped(state_dims);
  load_state(h0, state_dims, h_start);
  if (lstm) {
    step_c_.resize({steps + 1, batch, hidden_size_});
    Tensor c_start = step_c_.slice(0, 1).reshaped(state_dims);
    load_state(c0, state_dims, c_start);
  }
  step_workspace_.resize({std::max<int64_t>(1, steps * steps_.workspace_words)});
  step_sink_h_.resize(state_dims);
  if (absent(recurrent_mask)) {
    step_mask_ = Tensor();
    return;
  }
  FERRY_CHECK(dtype_ == DType::kF32, InternalError, "recurrent dropout at precision " << precision_name(precision_));
  check_tensor(recurrent_mask, state_dims, DType::kF32, "RNN recurrent mask");
  step_mask_.resize(state_dims);
  step_mask_.copy_from(recurrent_mask);
  step_h_masked_.resize({steps, batch, hidden_size_});
}

void RnnLayer::forward_step(const Tensor& src, Tensor& h) {
  const int64_t t = steps_.forward, batch = steps_.batch;
  FERRY_CHECK(t < steps_.steps, InternalError, "RNN step " << t << " of " << steps_.steps << " begun");
  check_tensor(src, {batch, input_size_}, DType::kF32, "RNN step input");
  check_tensor(h, {batch, hidden_size_}, DType::kF32, "RNN step output");
  const bool lstm = has_cell_state(cell_);
  BoundPrimitive& p = primitive(prop_kind::forward_training, 1, batch, true);
  Tensor src_t = step_src_.slice(t, t + 1);
  convert(src.reshaped(src_t.dims()), src_t);
  p.bind(DNNL_ARG_SRC_LAYER, src_t.raw());
  if (step_mask_.empty()) {
    p.bind(DNNL_ARG_SRC_ITER, step_h_.slice(t, t + 1).raw());
  } else {
    Tensor masked = step_h_masked_.slice(t, t + 1);
    masked.copy_from(step_h_.slice(t, t + 1));
    multiply_in_place(masked, step_mask_.reshaped(masked.dims()));
    p.bind(DNNL_ARG_SRC_ITER, masked.raw());
  }
  Tensor h_next = step_h_.slice(t + 1, t + 2);
  p.bind(DNNL_ARG_DST_LAYER, h_next.raw());
  p.bind(DNNL_ARG_DST_ITER, step_sink_h_.raw());
  if (lstm) {
    p.bind(DNNL_ARG_SRC_ITER_C, step_c_.slice(t, t + 1).raw());
    p.bind(DNNL_ARG_DST_ITER_C, step_c_.slice(t + 1, t + 2).raw());
  }
  weights_.bind_values(p);
  p.bind(DNNL_ARG_WORKSPACE, step_workspace_.data() + t * steps_.workspace_words);
  p.run();
  convert(h_next.reshaped(h.dims()), h);
  steps_.forward = t + 1;
  steps_.backward = t + 1;
}

void RnnLayer::backward_step(const Tensor& d_h, Tensor& d_src) {
  const int64_t t = steps_.backward - 1, batch = steps_.batch;
  FERRY_CHECK(t >= 0 && steps_.forward == steps_.steps, InternalError,
              "RNN step backward: " << steps_.forward << " of " << steps_.steps << " steps run forward, "
                                    << steps_.backward << " not yet back");
  check_tensor(d_h, {batch, hidden_size_}, DType::kF32, "RNN step output gradient");
  check_tensor(d_src, {batch, input_size_}, DType::kF32, "RNN step input gradient");
  const bool lstm = has_cell_state(cell_);
  const Dims state_dims = {batch, hidden_size_};
  if (t + 1 == steps_.steps) {  // nothing flows back into the last step's state
    for (Tensor* carry : {&carry_h_[0], &carry_c_[0]}) {
      carry->resize(state_dims);
      carry->zero();
    }
    carry_h_[1].resize(state_dims);
    carry_c_[1].resize(state_dims);
  }
  BoundPrimitive& p = primitive(prop_kind::backward, 1, batch, true);
  p.bind(DNNL_ARG_SRC_LAYER, step_src_.slice(t, t + 1).raw());
  p.bind(DNNL_ARG_SRC_ITER, (step_mask_.empty() ? step_h_ : step_h_masked_).slice(t, t + 1).raw());
  p.bind(DNNL_ARG_DST_LAYER, step_h_.slice(t + 1, t + 2).raw());
  p.bind(DNNL_ARG_DST_ITER, step_h_.slice(t + 1, t + 2).raw());
  weights_.bind_values(p);
  p.bind(DNNL_ARG_WORKSPACE, step_workspace_.data() + t * steps_.workspace_words);
  p.bind(DNNL_ARG_DIFF_DST_LAYER, d_h.raw());
  p.bind(DNNL_ARG_DIFF_DST_ITER, carry_h_[0].raw());
  p.bind(DNNL_ARG_DIFF_SRC_LAYER, d_src.raw());
  p.bind(DNNL_ARG_DIFF_SRC_ITER, carry_h_[1].raw());
  if (lstm) {
    p.bind(DNNL_ARG_SRC_ITER_C, step_c_.slice(t, t + 1).raw());
    p.bind(DNNL_ARG_DST_ITER_C, step_c_.slice(t + 1, t + 2).raw());
    p.bind(DNNL_ARG_DIFF_DST_ITER_C, carry_c_[0].raw());
    p.bind(DNNL_ARG_DIFF_SRC_ITER_C, carry_c_[1].raw());
  }
  weights_.bind_gradient_accumulators(p);
  p.run();
  weights_.add_gradients_to_grads();
  // The gradient of the masked state the step received, turned into that of the state before the mask.
  if (!step_mask_.empty()) multiply_in_place(carry_h_[1], step_mask_);
  std::swap(carry_h_[0], carry_h_[1]);
  std::swap(carry_c_[0], carry_c_[1]);
  steps_.backward = t;
}

void RnnLayer::initial_state_gradient(Tensor& d_h0, Tensor& d_c0) const {
  FERRY_CHECK(steps_.steps > 0 && steps_.backward == 0, InternalError,
              "RNN initial state gradient before every step went back");
  check_state(d_h0, steps_.batch, true, "RNN h0 gradient");
  check_state(d_c0, steps_.batch, has_cell_state(cell_), "RNN c0 gradient");
  if (!absent(d_h0)) d_h0.copy_from(carry_h_[0]);
  if (!absent(d_c0)) d_c0.copy_from(carry_c_[0]);
}

}  // namespace ferry
