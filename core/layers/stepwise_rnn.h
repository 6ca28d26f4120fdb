// The inference pass of one RNN layer as matrix products and a cell pass per step: gates = x·W_x + h·W_h +
// bias, where the input products of all T steps are one product and each step's recurrent product another,
// on StepWeights (f32 or bf16 products on weights packed once, or 8-bit products), while the cell arithmetic
// (rnn_step_cells.h) and the state stay f32. A layer at precision int8 runs every inference pass this way;
// at f32 and bf16 the search's single steps do, where it is faster than the RNN primitive (RnnLayer).
#pragma once

#include <cstdint>
#include <vector>

#include "core/layers/rnn_cell.h"
#include "core/layers/step_weight.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class StepwiseRnn {
 public:
  // The layer's parameters in RnnWeights' layout ({I, G, H}, {H, G, H}, {B, H}); they must outlive this
  // object, and the weights' copies follow their changes.
  StepwiseRnn(CellKind cell, const Parameter& weights_layer, const Parameter& weights_iter, const Parameter& bias,
              Precision precision);

  // src: {T, N, I}; h, c: {N, H} the initial state, replaced by the final one (c only for an LSTM, else
  // ignored); dst: {T, N, H} receives h at every step.
  void forward(const Tensor& src, Tensor& h, Tensor& c, Tensor& dst);

 private:
  CellKind cell_;
  int64_t input_size_, hidden_;
  StepWeight input_, recurrent_;
  const Parameter& bias_;
  Tensor x_products_, h_products_;  // {T·N, G·H}, {N, G·H}
  std::vector<const float*> x_rows_;  // a step's rows of x_products_
};

}  // namespace ferry
