// The cell arithmetic of one RNN step over N rows, when the step's products were run apart from the cell:
// row r's gate pre-activations are x_scale[r]·x_rows[r] + h_scale[r]·h_products[r] + bias, G·H values in
// rnn_cell.h's gate order. The input part comes through one pointer per row (rows of a product, or of a table
// of precomputed rows); 8-bit products leave their per-row scales to this pass, where they cost nothing
// extra. Only the state moves: h (and c for an LSTM) are updated in place.
#pragma once

#include <cstdint>

#include "core/layers/rnn_cell.h"

namespace ferry {

struct StepGates {
  const float* const* x_rows;  // N pointers to G·H values each
  const float* x_scales;       // {N}, or nullptr for scales of 1
  const float* h_products;     // {N, G·H}
  const float* h_scales;       // {N}, or nullptr for scales of 1
};

// bias: {bias_gate_count(cell), H}; h, c: {N, H} (c for an LSTM only, else ignored); h_copy: nullptr, or
// {N, H} that receives the new h too (a layer's output of the step, written while the row is at hand).
void step_cells(CellKind cell, const StepGates& gates, const float* bias, int64_t rows, int64_t hidden, float* h,
                float* c, float* h_copy = nullptr);

}  // namespace ferry
