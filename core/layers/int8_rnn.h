// The inference pass of one RNN layer with 8-bit products (precision int8): gates = x·W_x + h·W_h + bias,
// where the input products of all T steps are one product and each step's recurrent product another (see
// Int8Weight), while the cell arithmetic (rnn_step_cells.h) and the state stay f32.
#pragma once

#include <cstdint>
#include <vector>

#include "core/layers/int8_weight.h"
#include "core/layers/rnn_cell.h"
#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class Int8Rnn {
 public:
  // The layer's parameters in RnnWeights' layout ({I, G, H}, {H, G, H}, {B, H}); they must outlive this
  // object and are quantized again whenever they change.
  Int8Rnn(CellKind cell, const Parameter& weights_layer, const Parameter& weights_iter,
          const Parameter& bias);

  // src: {T, N, I}; h, c: {N, H} the initial state, replaced by the final one (c only for an LSTM, else
  // ignored); dst: {T, N, H} receives h at every step.
  void forward(const Tensor& src, Tensor& h, Tensor& c, Tensor& dst);

 private:
  CellKind cell_;
  int64_t hidden_;
  Int8Weight input_, recurrent_;
  const Parameter& bias_;
  Tensor x_products_, x_scales_, h_products_, h_scales_;  // {T·N, G·H}, {T·N}, {N, G·H}, {N}
  std::vector<const float*> x_rows_;                    // a step's rows of x_products_
};

}  // namespace ferry
