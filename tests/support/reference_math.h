// The building blocks of the naive model references: one sentence at a time, no padding, vectors of doubles,
// parameters read by name from a registry in the canonical layouts the layers keep.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/layers/rnn_cell.h"
#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

using Vector = std::vector<double>;
using Vectors = std::vector<Vector>;  // [position][channel]

// How closely the model's f32 numbers must follow the references: relative, with an absolute floor for
// values near zero.
constexpr double kReferenceRtol = 1e-5;
constexpr double kReferenceAtol = 1e-6;

// The value of a registered parameter (throws when absent).
const Tensor& param_value(const ParamRegistry& params, const std::string& name);

// x·W + b with W {in, out} (the Linear layout) and b {out}, or no bias when `bias` is null.
Vector affine(const Vector& x, const Tensor& weight, const Tensor* bias = nullptr);
Vector tanh_of(Vector v);
Vector concat(const Vector& a, const Vector& b);
Vector plus(Vector a, const Vector& b);
Vectors reversed(Vectors v);

// Rows ids[t] of an embedding table {V, E}.
Vectors embed(const Tensor& table, const std::vector<int>& ids);

// h at every step of the recurrent layer registered under `scope` over `input`, from h0 / c0 (null: zeros),
// computed by the double-precision cell reference.
Vectors run_rnn(const ParamRegistry& params, const std::string& scope, CellKind cell, const Vectors& input,
                const Vector* h0, const Vector* c0);

// One step of that layer: input x, state h and (LSTM) c updated in place; c is ignored by other cells.
void rnn_step(const ParamRegistry& params, const std::string& scope, CellKind cell, const Vector& x,
              Vector& h, Vector& c);

// Softmax and log-softmax of a vector.
Vector softmax(const Vector& x);
Vector log_softmax(const Vector& x);

// Row `row` of t viewed as {numel / C, C}.
Vector row_of(const Tensor& t, int64_t row);
// The rows a time-major {T, N, C} tensor holds for batch entry n at positions [0, steps).
Vectors column_of(const Tensor& t, int64_t n, int64_t steps);
// Passes if both have the same shape and |actual - expected| <= atol + rtol * |expected| everywhere; the
// failure names the first offending position and both values.
::testing::AssertionResult vectors_close(const Vectors& actual, const Vectors& expected,
                                         double rtol = kReferenceRtol, double atol = kReferenceAtol);

// The vectors as the rows of a {rows.size(), C} tensor.
Tensor to_tensor(const Vectors& rows);

}  // namespace ferry
