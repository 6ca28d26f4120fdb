// MatmulLstm: the whole-sequence training passes of an LSTM layer on oneDNN matmul primitives (f32 or bf16
// operands) and gate arithmetic of its own (f32): RnnLayer's default for LSTM training (see rnn_kernel.h).
// It runs at the speed of the matmul primitives wherever oneDNN's RNN training primitive does not, and keeps
// less for backward.
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
  // `compute`: the operands' type in every product (f32, or bf16 with f32 results); the cell arithmetic,
  // states and gradients stay f32.
  MatmulLstm(Parameter& weights_layer, Parameter& weights_iter, Parameter& bias, DType compute = DType::kF32);
  MatmulLstm(const MatmulLstm&) = delete;
  MatmulLstm& operator=(const MatmulLstm&) = delete;

  // src {T, N, I}; h0, c0 {N, H} or absent (zeros); dst {T, N, H}; c_last {N, H} or absent (not wanted).
  void forward_training(const Tensor& src, const Tensor& h0, const Tensor& c0, Tensor& dst, Tensor& c_last);
  // d_dst {T, N, H} -> d_src {T, N, I}; d_h0 / d_c0 {N, H} or absent (not wanted). No gradient flows in
  // through the final state.
  void backward(const Tensor& d_dst, Tensor& d_src, Tensor& d_h0, Tensor& d_c0);

  // The products held (one per kind and row count) and the reorders of the weights into their layouts.
  int64_t primitive_count() const { return static_cast<int64_t>(products_.size()); }
  int64_t reorder_count() const;

 private:
  // The cell at step t over gates_[t] (pre-activations in, activations out): c_[t + 1], h_[t + 1].
  void cell_forward(int64_t t);
  // The gates' gradient at step t into d_gates_[t], given the output gradient d_dst[t]; updates the carried
  // gradients of h (read) and c (read and written).
  void cell_backward(int64_t t, const float* d_dst);
  // The products, each a oneDNN matmul primitive over `rows` rows (a step's N, or T·N rounded up): forward,
  // gates_t += h_{t-1}·W_iter and gates = src·W_layer + bias; backward, the carried gradient =
  // d_gates_t·W_iter^T, W_layer.grad += src^T·d_gates, W_iter.grad += h_prev^T·d_gates and d_src =
  // d_gates·W_layer^T. Weights are read in the layouts the primitives prefer, reordered once per parameter
  // version, not repacked at every step.
  enum class Product { kStepForward, kStepBackward, kInput, kLayerGradient, kIterGradient, kInputGradient };
  BoundPrimitive& product(Product kind, int64_t rows);
  // Runs `kind` on source a, weights b and destination c (and the bias, for kInput).
  void run(Product kind, int64_t rows, const void* a, const void* b, void* c);
  // Where a product reads rows of a saved f32 matrix from `offset` (in elements): the matrix itself, or its
  // bf16 copy when the products run in bf16.
  const void* operand(const Tensor& saved, const Tensor& low, int64_t offset) const;
  // In bf16: low's elements [offset, offset + n) = saved's, rounded (nothing to do in f32).
  void round_into(const Tensor& saved, Tensor& low, int64_t offset, int64_t n) const;

  Parameter& weights_layer_;
  Parameter& weights_iter_;
  Parameter& bias_;
  const int64_t input_size_, hidden_size_;
  const DType compute_;
  // W_layer {I, 4H}, W_iter {H, 4H} and their transposes.
  ParamLayouts w_layer_, w_layer_t_, w_iter_, w_iter_t_;
  PrimitiveCache products_;  // keyed by product and rows

  int64_t steps_ = 0, batch_ = 0;
  // Saved by the forward pass as rows of time-major {T, N, ...} matrices, padded to P = T·N rounded up (see
  // kRowQuantum in the source).
  Tensor src_;      // {P, I}, zero beyond T·N
  Tensor h_;        // {max((T + 1)·N, P), H}: the initial state, then every step's; zero beyond
  Tensor c_;        // {T + 1, N, H}
  Tensor gates_;    // {P, 4H} activated gates
  Tensor d_gates_;  // {P, 4H}, zero beyond T·N
  Tensor d_src_;    // {P, I}
  // In bf16, what the products read of src_, h_ and d_gates_, rounded.
  Tensor src_low_, h_low_, d_gates_low_;
  Tensor carry_h_, carry_c_;  // {N, H}: gradients of the state passed back to the step before
};

}  // namespace ferry
