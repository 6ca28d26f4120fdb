#include "support/rnn_reference.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ferry {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<double> to_doubles(const Tensor& t, int64_t count) {
  if (t.rank() == 0) return std::vector<double>(count, 0.0);
  return std::vector<double>(t.data(), t.data() + count);
}

Tensor to_tensor(const std::vector<double>& values, const Dims& dims) {
  Tensor t(dims);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

// pre[g * H + k] = sum_j v[j] * w[j][g][k] for w {J, G, H}.
template <typename Value>
void product(const Value* v, const Tensor& w, std::vector<double>& pre) {
  std::fill(pre.begin(), pre.end(), 0.0);
  const int64_t rows = w.dim(0), columns = w.dim(1) * w.dim(2);
  for (int64_t j = 0; j < rows; ++j) {
    const float* row = w.data() + j * columns;
    for (int64_t m = 0; m < columns; ++m) pre[m] += static_cast<double>(v[j]) * row[m];
  }
}

}  // namespace

RnnReferenceOutput rnn_reference_forward(CellKind cell, const Tensor& weights_layer,
                                         const Tensor& weights_iter, const Tensor& bias, const Tensor& src,
                                         const Tensor& h0, const Tensor& c0) {
  const int64_t steps = src.dim(0), batch = src.dim(1), input = src.dim(2), hidden = weights_iter.dim(0);
  const int64_t gates = gate_count(cell);
  std::vector<double> h = to_doubles(h0, batch * hidden), c = to_doubles(c0, batch * hidden);
  std::vector<double> wx(gates * hidden), uh(gates * hidden);  // W x and U h_{t-1}, per gate and unit
  const float* b = bias.data();
  Tensor dst({steps, batch, hidden});

  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t n = 0; n < batch; ++n) {
      double* h_row = h.data() + n * hidden;
      double* c_row = c.data() + n * hidden;
      product(src.data() + (t * batch + n) * input, weights_layer, wx);
      product(h_row, weights_iter, uh);
      const auto pre = [&](int64_t g, int64_t k) {
        return wx[g * hidden + k] + uh[g * hidden + k] + b[g * hidden + k];
      };
      for (int64_t k = 0; k < hidden; ++k) {
        switch (cell) {
          case CellKind::kLstm: {
            const double i = sigmoid(pre(0, k)), f = sigmoid(pre(1, k)), candidate = std::tanh(pre(2, k));
            const double o = sigmoid(pre(3, k));
            c_row[k] = f * c_row[k] + i * candidate;
            h_row[k] = o * std::tanh(c_row[k]);
            break;
          }
          case CellKind::kGru: {
            const double u = sigmoid(pre(0, k)), r = sigmoid(pre(1, k));
            const double o = std::tanh(wx[2 * hidden + k] + b[2 * hidden + k] +
                                       r * (uh[2 * hidden + k] + b[3 * hidden + k]));
            h_row[k] = u * h_row[k] + (1 - u) * o;
            break;
          }
          case CellKind::kRnn:
            h_row[k] = std::tanh(pre(0, k));
            break;
        }
        dst.data()[(t * batch + n) * hidden + k] = static_cast<float>(h_row[k]);
      }
    }
  }
  RnnReferenceOutput out;
  out.dst = dst;
  out.h_last = to_tensor(h, {batch, hidden});
  if (has_cell_state(cell)) out.c_last = to_tensor(c, {batch, hidden});
  return out;
}

}  // namespace ferry
