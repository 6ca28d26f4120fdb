// RnnLayer: one unidirectional, left-to-right, single-layer recurrent layer (LSTM, GRU or tanh RNN) on
// oneDNN, over a time-major batch. Stacks and the right-to-left direction are built by callers from several
// layers (a right-to-left pass is a left-to-right layer fed each sentence reversed within its length).
//
// Precision (core/precision.h) is the layer's: f32 or bf16 primitives for every pass but the single steps of
// forward_inference (the search's), which run as products on packed weights and a cell pass (StepwiseRnn);
// int8 weights serve forward_inference only, through 8-bit products (StepwiseRnn), and refuse training.
//
// Shapes: T time steps, N batch rows, I = input_size, H = hidden_size. Every tensor is plain row-major f32;
// a default-constructed Tensor (or one with no elements) stands for an absent optional argument. Outputs
// must be allocated by the caller with the stated dims; they are overwritten, except parameter gradients,
// which are added to the parameters' grads.
//
// LSTM whole-sequence training (f32, bf16) runs on MatmulLstm or on the RNN primitive, as
// rnn_training_kernel() says.
//
// Primitives, their descriptors and argument bindings are created once per (propagation kind, T, N) and
// reused; weights are reordered into each primitive layout once per parameter version. Buffers grow to the
// largest shape seen and are reused, so calls at a shape already seen allocate nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "core/bound_primitive.h"
#include "core/layers/matmul_lstm.h"
#include "core/layers/rnn_cell.h"
#include "core/layers/rnn_weights.h"
#include "core/layers/stepwise_rnn.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/prim_cache.h"
#include "core/tensor.h"

namespace ferry {

class RnnLayer {
 public:
  // Registers <scope>/weights_layer, <scope>/weights_iter, <scope>/bias (see rnn_weights.h). Callers pass
  // and get f32 tensors at every precision; bf16 primitives keep parameters, bias, the LSTM cell state and
  // gradients in f32.
  RnnLayer(ParamRegistry& params, const std::string& scope, CellKind cell, int64_t input_size,
           int64_t hidden_size, Precision precision = Precision::kF32);
  RnnLayer(const RnnLayer&) = delete;
  RnnLayer& operator=(const RnnLayer&) = delete;

  CellKind cell() const { return cell_; }
  Precision precision() const { return precision_; }
  const RnnWeights& weights() const { return weights_; }
  int64_t input_size() const { return input_size_; }
  int64_t hidden_size() const { return hidden_size_; }

  // Training forward (not at precision int8). src {T, N, I}; h0 {N, H} or absent (zeros); c0 {N, H} or absent
  // (zeros), LSTM only; dst {T, N, H} receives h at every step (the final h is dst[T - 1]). Keeps what
  // backward() needs; a later forward_training replaces the pending one.
  void forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst);
  // The same, also writing the final cell state c_last {N, H} (LSTM only; absent: not wanted), for a caller
  // that carries the state into its next batch (truncated backpropagation through time). No gradient flows
  // back in through it: backward() treats the final state as a leaf.
  void forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst, Tensor& c_last);

  // Gradients of the pending forward_training, given d_dst {T, N, H} (no gradient flows in through the final
  // state). Writes d_src {T, N, I}; d_h0 / d_c0 {N, H} receive the gradient of the initial state and may be
  // absent when not wanted; they must be absent when the forward had no h0 / c0. Adds the gradients of
  // weights_layer, weights_iter and bias to their grads (callers zero grads once per step). Consumes the
  // pending forward.
  void backward(const Tensor& d_dst, Tensor& d_src, Tensor& d_h0, Tensor& d_c0);

  // Step-wise training, for a layer whose input at a step is known only once the step before has run (input
  // feeding). begin_steps() starts T steps over N rows from h0 / c0 (absent: zeros; c0 LSTM only);
  // forward_step() runs the next step, src {N, I} -> h {N, H}. Then backward_step() runs them back, last
  // first: d_h {N, H} is the gradient of that step's output from outside the recurrence; it writes d_src
  // {N, I}, adds the weights' gradients and carries the state's gradient to the step before. After step 0,
  // initial_state_gradient() gives the gradient of h0 / c0 (either may be absent when not wanted).
  // `recurrent_mask` {N, H} (absent: none; f32 precision only): recurrent dropout, the state each step
  // receives from the one before (h0 at step 0) multiplied by it element-wise, the same mask at every step;
  // the outputs stay unmasked. Not at precision int8.
  void begin_steps(int64_t steps, int64_t batch, const Tensor& h0, const Tensor& c0,
                   const Tensor& recurrent_mask = Tensor());
  void forward_step(const Tensor& src, Tensor& h);
  void backward_step(const Tensor& d_h, Tensor& d_src);
  void initial_state_gradient(Tensor& d_h0, Tensor& d_c0) const;

  // Inference forward (no state kept for backward), at every precision. src {T, N, I}; h0, c0 as in
  // forward_training;
  // dst {T, N, H}; h_last / c_last {N, H} (c_last LSTM only) receive the final state and may be absent when
  // not wanted. h_last may be the same tensor as h0 and c_last as c0 (state updated in place).
  void forward_inference(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst, Tensor& h_last,
                         Tensor& c_last);

  // Primitives held: one per propagation kind and shape, the most recently used kPrimitiveCapacity (and, on
  // the matmul training kernel, its step products).
  int64_t primitive_count() const;

  // Enough for the shapes that recur together: beam search's rows shrinking sentence by sentence through a
  // batch, or a validation pass; training batches, of ever new shapes, cannot hold memory beyond this.
  static constexpr size_t kPrimitiveCapacity = 40;
  // Reorders of parameter values into primitive layouts so far.
  int64_t weight_reorder_count() const;

 private:
  // What the pending forward_training ran on; steps == 0 when there is none.
  struct Pending {
    int64_t steps = 0, batch = 0;
    bool has_h0 = false, has_c0 = false;
    // Ran the primitive that outputs the final state (forward_training with c_last).
    bool final_state = false;
    // Ran on matmul_lstm_ rather than the RNN primitive.
    bool matmul = false;
  };

  // What begin_steps() started: forward_steps run so far, and those not yet run back.
  struct Steps {
    int64_t steps = 0, batch = 0;
    int64_t forward = 0, backward = 0;
    int64_t workspace_words = 0;  // per step, rounded to a cache line
  };

  // `final_state`: a training problem whose final state (and its gradient) are arguments of their own: the
  // one-step problem of step-wise training, and whole-sequence training that gives the final cell state.
  BoundPrimitive& primitive(dnnl::prop_kind prop, int64_t steps, int64_t batch, bool final_state = false);
  // The problem's descriptors with activations (or, for prop backward, their gradients) of `type`.
  RnnDescs descs(dnnl::prop_kind prop, int64_t steps, int64_t batch, dnnl::memory::data_type type,
                 bool final_state = false) const;
  // Checks the arguments common to both forwards and returns {T, N}.
  std::pair<int64_t, int64_t> check_forward(const Tensor& src, const Tensor& h0, const Tensor& c0,
                                            const Tensor& dst) const;
  // forward_inference through stepwise_.
  void forward_stepwise(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst, Tensor& h_last,
                        Tensor& c_last);
  // Checks an optional {N, H} state argument; `allowed` false: it must be absent.
  void check_state(const Tensor& state, int64_t batch, bool allowed, const char* what) const;

  const CellKind cell_;
  const int64_t input_size_, hidden_size_;
  const Precision precision_;
  // Type of activations and weights as the primitives see them (diffs, bias and cell state stay f32).
  const DType dtype_;
  RnnWeights weights_;
  // Every inference pass at precision int8; single steps at f32 and bf16, made at the first.
  std::unique_ptr<StepwiseRnn> stepwise_;
  // LSTM at f32 or bf16 only: whole-sequence training when rnn_training_kernel() is kMatmul.
  std::unique_ptr<MatmulLstm> matmul_lstm_;
  PrimitiveCache primitives_;      // keyed by (prop, T, N)

  // Kept from forward_training for backward.
  Pending pending_;
  Tensor saved_src_, saved_h0_, saved_c0_, saved_dst_;  // {T, N, I}, {N, H}, {N, H}, {T, N, H}
  // With the final state: h (dtype_) and c (f32) {N, H} after the last step, and zeros standing for their
  // gradients.
  Tensor saved_h_last_, saved_c_last_, zero_state_grad_;
  Tensor workspace_;                                    // opaque bytes, held as f32 words
  // Stand-ins {N, H} for absent states: zeros for a missing h0 / c0 (or a copy of a state updated in place),
  // sinks for unwanted outputs.
  Tensor scratch_h_, scratch_c_;
  Tensor sink_h_, sink_c_;
  // f32 stand-ins for unwanted initial-state gradients.
  Tensor grad_scratch_h_, grad_scratch_c_;
  // f32 stand-ins for the state of a stepwise pass whose final state is not wanted.
  Tensor stepwise_h_, stepwise_c_;
  // Inference input and output in dtype_ when it is not f32.
  Tensor converted_src_, converted_dst_;
  // Step-wise training: the inputs {T, N, I}, states h {T + 1, N, H} (dtype_) and c {T + 1, N, H} (f32) of
  // every step, their workspaces, the state gradient carried between steps (in and out) and a sink for
  // the final h, which the step's output already holds.
  Steps steps_;
  Tensor step_src_, step_h_, step_c_, step_workspace_;
  // With a recurrent mask: the mask {N, H}, and the masked state {T, N, H} each step received.
  Tensor step_mask_, step_h_masked_;
  Tensor carry_h_[2], carry_c_[2];
  Tensor step_sink_h_;
};

}  // namespace ferry
