// A seeded RNN layer with random parameters (bias included) and random inputs, shared by the RNN tests.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>

#include "core/layers/rnn.h"
#include "core/param.h"
#include "support/rnn_reference.h"

namespace ferry {

struct RnnShape {
  int64_t steps, batch, input, hidden;  // T, N, I, H
};

std::string shape_text(const RnnShape& shape);  // "T5_N3_I7_H4"

// A test case's cell, shape and whether it has an initial state, and its test name
// ("lstm_T5_N3_I7_H4_state").
using RnnCaseParam = std::tuple<CellKind, RnnShape, bool>;
std::string case_name(const RnnCaseParam& param);

// Same dims and the same bits in every element.
bool bitwise_equal(const Tensor& a, const Tensor& b);

// How GoogleTest prints test parameters of these types.
void PrintTo(const RnnShape& shape, std::ostream* out);
void PrintTo(CellKind cell, std::ostream* out);

class RnnCase {
 public:
  // with_state: random h0 (and c0 for the LSTM); otherwise both empty.
  RnnCase(CellKind cell, const RnnShape& shape, bool with_state, uint64_t seed = 1);

  // The reference forward over the current parameter values and inputs.
  RnnReferenceOutput reference() const;
  // Zero tensors of the layer's output shapes.
  Tensor sequence_output() const;  // {T, N, H}
  Tensor state() const;            // {N, H}
  // Marks every parameter changed (after editing values in place).
  void parameters_changed();

  const CellKind cell;
  const RnnShape shape;
  ParamRegistry params;
  RnnLayer layer;
  Tensor src;     // {T, N, I}
  Tensor h0, c0;  // {N, H} or empty
};

}  // namespace ferry
