// MatmulLstm: the whole-sequence training passes of an f32 LSTM layer on oneDNN matmul primitives and gate
// arithmetic of its own, for CPUs where oneDNN's f32 RNN training primitive falls short of the matmul peak
// (RnnLayer chooses, see rnn_kernel.h).
//
// Forward: the input product of all T steps is one {T·N, I} x {I, 4H} product with the bias fused; each step
// then adds h_{t-1}·W_iter into its gates and applies the cell in one pass. Backward runs the steps back,
// each a pass over the gates and one {N, 4H} x {4H, H} product for the gradient carried to the step before;
// the weight gradients and the input gradient are then three large products over all steps. Saved for
// backward: the input, h and c of every step and the activated gates (i, f, c~, o).
//
// Same contract as RnnLayer::forward_training / backward (shapes, optional states, gradients added to the
// parameters' grads); the parameters are RnnWeights' (weights_layer {I, 4, H}, weights_iter {H, 4, H},
// bias {4, H}).
#pragma once

#include <cstdint>

#include "core/bound_primitive.h"
#include "core/param.h"
#include "core/param_layouts.h"
#include "core/prim_cache.h"
#include "core/tensor.h"

namespace ferry {

class MatmulLstm {
 public:
  MatmulLstm(Parameter& weights_layer, Parameter& weights_iter, Parameter& bias);
  MatmulLstm(const MatmulLstm&) = delete;
  MatmulLstm& operator=(const MatmulLstm&) = delete;

  // src {T, N, I}; h0, c0 {N, H} or absent (zeros); dst {T, N, H}; c_last {N, H} or absent (not wanted).
  void forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst, Tensor& c_last);
  // d_dst {T, N, H} -> d_src {T, N, I}; d_h0 / d_c0 {N, H} or absent (not wanted). No gradient flows in
  // through the final state.
  void backward(const Tensor& d_dst, Tensor& d_src, Tensor& d_h0, Tensor& d_c0);

  // The step products held (one per direction and row count) and the reorders of W_iter into their layouts.
  int64_t primitive_count() const { return static_cast<int64_t>(step_products_.size()); }
  int64_t reorder_count() const { return w_iter_.reorder_count() + w_iter_t_.reorder_count(); }

 private:
  // The cell at step t over gates_[t] (pre-activations in, activations out): c_[t + 1], h_[t + 1].
  void cell_forward(int64_t t);
  // The gates' gradient at step t into d_gates_[t], given the output gradient d_dst[t]; updates the carried
  // gradients of h (read) and c (read and written).
  void cell_backward(int64_t t, const float* d_dst);
  // The product of one step over `batch` rows: forward, gates += h_{t-1}·W_iter; backward, the carried
  // gradient = d_gates_t·W_iter^T. W_iter is read in the layout the primitive prefers, reordered once per
  // parameter version, not repacked at every step.
  BoundPrimitive& step_product(bool backward, int64_t batch);

  Parameter& weights_layer_;
  Parameter& weights_iter_;
  Parameter& bias_;
  const int64_t input_size_, hidden_size_;
  ParamLayouts w_iter_, w_iter_t_;  // W_iter {H, 4H} and its transpose {4H, H}
  PrimitiveCache step_products_;    // keyed by direction and rows

  int64_t steps_ = 0, batch_ = 0;
  Tensor src_;                // {T, N, I}
  Tensor h_, c_;              // {T + 1, N, H}: the initial state, then every step's
  Tensor gates_;              // {T, N, 4H} activated gates
  Tensor d_gates_;            // {T, N, 4H}
  Tensor carry_h_, carry_c_;  // {N, H}: gradients of the state passed back to the step before
};

}  // namespace ferry
