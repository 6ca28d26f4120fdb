#include "support/rnn_case.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "support/numeric.h"

namespace ferry {

std::string shape_text(const RnnShape& s) {
  return "T" + std::to_string(s.steps) + "_N" + std::to_string(s.batch) + "_I" + std::to_string(s.input) +
         "_H" + std::to_string(s.hidden);
}

std::string case_name(const RnnCaseParam& param) {
  const auto& [cell, shape, with_state] = param;
  return std::string(cell_name(cell)) + "_" + shape_text(shape) + (with_state ? "_state" : "_zero_state");
}

bool bitwise_equal(const Tensor& a, const Tensor& b) {
  return a.dims() == b.dims() && std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}

void PrintTo(const RnnShape& shape, std::ostream* out) { *out << shape_text(shape); }

void PrintTo(CellKind cell, std::ostream* out) { *out << cell_name(cell); }

RnnCase::RnnCase(CellKind cell_kind, const RnnShape& rnn_shape, bool with_state, uint64_t seed)
    : cell(cell_kind),
      shape(rnn_shape),
      layer(params, "test/rnn", cell_kind, rnn_shape.input, rnn_shape.hidden),
      src(random_tensor({rnn_shape.steps, rnn_shape.batch, rnn_shape.input}, seed)) {
  // Large enough to drive the gates into their nonlinear range, small enough for wide layers to keep the
  // pre-activations of order one.
  const float scale = std::min(0.6f, 3.0f / std::sqrt(static_cast<float>(shape.input + shape.hidden)));
  uint64_t param_seed = seed * 100;
  for (Parameter* p : params.all()) fill_random(p->value, ++param_seed, scale);
  parameters_changed();
  if (with_state) {
    h0 = random_tensor({shape.batch, shape.hidden}, seed + 1, 0.8f);
    if (has_cell_state(cell)) c0 = random_tensor({shape.batch, shape.hidden}, seed + 2, 1.5f);
  }
}

RnnReferenceOutput RnnCase::reference() const {
  return rnn_reference_forward(cell, params.get("test/rnn/weights_layer").value,
                               params.get("test/rnn/weights_iter").value, params.get("test/rnn/bias").value,
                               src, h0, c0);
}

Tensor RnnCase::sequence_output() const { return Tensor({shape.steps, shape.batch, shape.hidden}); }

Tensor RnnCase::state() const { return Tensor({shape.batch, shape.hidden}); }

void RnnCase::parameters_changed() {
  for (Parameter* p : params.all()) p->changed();
}

}  // namespace ferry
