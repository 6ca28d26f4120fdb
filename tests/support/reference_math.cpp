#include "support/reference_math.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "support/rnn_reference.h"

namespace ferry {

const Tensor& param_value(const ParamRegistry& params, const std::string& name) {
  return params.get(name).value;
}

Vector affine(const Vector& x, const Tensor& weight, const Tensor* bias) {
  const int64_t in = weight.dim(0), out = weight.dim(1);
  if (static_cast<int64_t>(x.size()) != in) throw std::invalid_argument("affine: input width differs");
  Vector y(static_cast<size_t>(out), 0.0);
  for (int64_t o = 0; o < out; ++o) {
    double sum = bias != nullptr ? bias->data()[o] : 0.0;
    for (int64_t i = 0; i < in; ++i) sum += x[i] * weight.data()[i * out + o];
    y[o] = sum;
  }
  return y;
}

Vector tanh_of(Vector v) {
  for (double& x : v) x = std::tanh(x);
  return v;
}

Vector concat(const Vector& a, const Vector& b) {
  Vector out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Vector plus(Vector a, const Vector& b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

Vectors reversed(Vectors v) {
  std::reverse(v.begin(), v.end());
  return v;
}

Vectors embed(const Tensor& table, const std::vector<int>& ids) {
  const int64_t width = table.dim(1);
  Vectors out;
  for (int id : ids) out.emplace_back(table.data() + id * width, table.data() + (id + 1) * width);
  return out;
}

Vectors run_rnn(const ParamRegistry& params, const std::string& scope, CellKind cell, const Vectors& input,
                const Vector* h0, const Vector* c0) {
  const Tensor& weights_iter = param_value(params, scope + "/weights_iter");
  const auto steps = static_cast<int64_t>(input.size());
  const Tensor src = to_tensor(input).reshaped({steps, 1, static_cast<int64_t>(input.front().size())});
  const auto state = [](const Vector* v) { return v != nullptr ? to_tensor({*v}) : Tensor(); };
  const RnnReferenceOutput out =
      rnn_reference_forward(cell, param_value(params, scope + "/weights_layer"), weights_iter,
                            param_value(params, scope + "/bias"), src, state(h0), state(c0));
  return column_of(out.dst, 0, steps);
}

void rnn_step(const ParamRegistry& params, const std::string& scope, CellKind cell, const Vector& x,
              Vector& h, Vector& c) {
  const bool lstm = has_cell_state(cell);
  const RnnReferenceOutput out = rnn_reference_forward(
      cell, param_value(params, scope + "/weights_layer"), param_value(params, scope + "/weights_iter"),
      param_value(params, scope + "/bias"), to_tensor({x}).reshaped({1, 1, static_cast<int64_t>(x.size())}),
      to_tensor({h}), lstm ? to_tensor({c}) : Tensor());
  h = row_of(out.h_last, 0);
  if (lstm) c = row_of(out.c_last, 0);
}

Vector softmax(const Vector& x) {
  const double max = *std::max_element(x.begin(), x.end());
  Vector p(x.size());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) sum += p[i] = std::exp(x[i] - max);
  for (double& v : p) v /= sum;
  return p;
}

Vector log_softmax(const Vector& x) {
  const double max = *std::max_element(x.begin(), x.end());
  double sum = 0;
  for (double v : x) sum += std::exp(v - max);
  const double log_norm = max + std::log(sum);
  Vector out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] - log_norm;
  return out;
}

Vector row_of(const Tensor& t, int64_t row) {
  const int64_t width = t.dim(-1);
  return Vector(t.data() + row * width, t.data() + (row + 1) * width);
}

Vectors column_of(const Tensor& t, int64_t n, int64_t steps) {
  const int64_t batch = t.dim(1);
  Vectors out;
  for (int64_t s = 0; s < steps; ++s) out.push_back(row_of(t, s * batch + n));
  return out;
}

::testing::AssertionResult vectors_close(const Vectors& actual, const Vectors& expected, double rtol,
                                         double atol) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure() << actual.size() << " vectors, expected " << expected.size();
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i].size() != expected[i].size()) {
      return ::testing::AssertionFailure()
             << "vector " << i << " has " << actual[i].size() << " values, expected " << expected[i].size();
    }
    for (size_t j = 0; j < actual[i].size(); ++j) {
      const double a = actual[i][j], e = expected[i][j];
      if (!(std::abs(a - e) <= atol + rtol * std::abs(e))) {
        return ::testing::AssertionFailure()
               << "first difference at [" << i << "][" << j << "]: actual " << a << ", expected " << e
               << " (rtol " << rtol << ", atol " << atol << ")";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

Tensor to_tensor(const Vectors& rows) {
  const auto width = static_cast<int64_t>(rows.front().size());
  Tensor t({static_cast<int64_t>(rows.size()), width});
  for (size_t r = 0; r < rows.size(); ++r) std::copy(rows[r].begin(), rows[r].end(), t.data() + r * width);
  return t;
}

}  // namespace ferry
