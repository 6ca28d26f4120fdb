// One inference step of an RNN layer whose input is a token's embedding (a decoder's first layer without
// input feeding): the input part of the gates comes from an InputGateTable, so the step runs only the
// recurrent product h·W_h, at the layer's precision (f32 or bf16 products, or 8-bit ones as StepwiseRnn's), and
// the cell arithmetic (rnn_step_cells.h). The same step as RnnLayer::forward_inference over one time step
// of the embedded tokens, with one product fewer.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/layers/input_gate_table.h"
#include "core/layers/rnn_cell.h"
#include "core/layers/step_weight.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class TokenInputStep {
 public:
  // embedding {V, E}; the layer's parameters in RnnWeights' layout ({E, G, H}, {H, G, H}, {B, H}). All must
  // outlive this object; derived copies follow their versions.
  TokenInputStep(CellKind cell, Precision precision, const Parameter& embedding, const Parameter& weights_layer,
                 const Parameter& weights_iter, const Parameter& bias);

  // tokens: N ids; h, c: {N, H}, the state before the step, replaced by the state after it (c for an LSTM
  // only, else ignored).
  void step(const std::vector<int32_t>& tokens, Tensor& h, Tensor& c);

  const InputGateTable& table() const { return table_; }

 private:
  const CellKind cell_;
  const int64_t hidden_;
  const Parameter& bias_;
  InputGateTable table_;
  StepWeight recurrent_;          // W_h at the layer's precision
  Tensor h_products_;             // {N, G·H}
};

}  // namespace ferry
