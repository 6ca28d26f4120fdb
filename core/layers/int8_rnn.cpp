#include "core/layers/int8_rnn.h"

#include <cstring>

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// The products of N rows for one step: the gate pre-activations of row r are
// x_scales[r]·x_products[r] + h_scales[r]·h_products[r] (+ bias), G·H values each.
struct StepProducts {
  const float* x_products;
  const float* x_scales;
  const float* h_products;
  const float* h_scales;
};

// LSTM, gates i, f, c~, o: c = f·c + i·c~; h = o·tanh(c), in place.
void lstm_cells(const StepProducts& p, const float* bias, int64_t rows, int64_t H, float* h, float* c) {
#pragma omp parallel for schedule(static) if (rows * H * 4 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float xs = p.x_scales[r], hs = p.h_scales[r];
    const float* gx = p.x_products + r * 4 * H;
    const float* gh = p.h_products + r * 4 * H;
    float* h_row = h + r * H;
    float* c_row = c + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float i = sigmoid(xs * gx[j] + hs * gh[j] + bias[j]);
      const float f = sigmoid(xs * gx[H + j] + hs * gh[H + j] + bias[H + j]);
      const float g = fast_tanh(xs * gx[2 * H + j] + hs * gh[2 * H + j] + bias[2 * H + j]);
      const float o = sigmoid(xs * gx[3 * H + j] + hs * gh[3 * H + j] + bias[3 * H + j]);
      const float cell = f * c_row[j] + i * g;
      c_row[j] = cell;
      h_row[j] = o * fast_tanh(cell);
    }
  }
}

// Linear-before-reset GRU, gates u, r, o and bias u, r, o, u': h = u·h + (1 - u)·o, in place.
void gru_cells(const StepProducts& p, const float* bias, int64_t rows, int64_t H, float* h) {
#pragma omp parallel for schedule(static) if (rows * H * 3 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float xs = p.x_scales[r], hs = p.h_scales[r];
    const float* gx = p.x_products + r * 3 * H;
    const float* gh = p.h_products + r * 3 * H;
    float* h_row = h + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float u = sigmoid(xs * gx[j] + hs * gh[j] + bias[j]);
      const float reset = sigmoid(xs * gx[H + j] + hs * gh[H + j] + bias[H + j]);
      const float o =
          fast_tanh(xs * gx[2 * H + j] + bias[2 * H + j] + reset * (hs * gh[2 * H + j] + bias[3 * H + j]));
      h_row[j] = u * h_row[j] + (1.0f - u) * o;
    }
  }
}

// Vanilla RNN: h = tanh(W x + U h + b), in place.
void tanh_cells(const StepProducts& p, const float* bias, int64_t rows, int64_t H, float* h) {
#pragma omp parallel for schedule(static) if (rows * H >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float xs = p.x_scales[r], hs = p.h_scales[r];
    const float* gx = p.x_products + r * H;
    const float* gh = p.h_products + r * H;
    float* h_row = h + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) h_row[j] = fast_tanh(xs * gx[j] + hs * gh[j] + bias[j]);
  }
}

}  // namespace

Int8Rnn::Int8Rnn(CellKind cell, const Parameter& weights_layer, const Parameter& weights_iter,
                 const Parameter& bias)
    : cell_(cell),
      hidden_(weights_iter.value.dim(0)),
      input_(weights_layer),
      recurrent_(weights_iter),
      bias_(bias) {}

void Int8Rnn::forward(const Tensor& src, Tensor& h, Tensor& c, Tensor& dst) {
  const int64_t steps = src.dim(0), rows = src.dim(1), H = hidden_;
  const bool lstm = has_cell_state(cell_);
  FERRY_CHECK(h.numel() == rows * H && (!lstm || c.numel() == rows * H) && dst.numel() == steps * rows * H,
              InternalError, "int8 RNN: state or output does not fit " << rows << " rows of " << H);
  input_.multiply(src, x_products_, x_scales_);  // every step's input products at once
  const int64_t gates = H * gate_count(cell_);
  const float* bias = bias_.value.data();
  for (int64_t t = 0; t < steps; ++t) {
    recurrent_.multiply(h, h_products_, h_scales_);
    const StepProducts p{x_products_.data() + t * rows * gates, x_scales_.data() + t * rows,
                         h_products_.data(), h_scales_.data()};
    switch (cell_) {
      case CellKind::kLstm:
        lstm_cells(p, bias, rows, H, h.data(), c.data());
        break;
      case CellKind::kGru:
        gru_cells(p, bias, rows, H, h.data());
        break;
      case CellKind::kRnn:
        tanh_cells(p, bias, rows, H, h.data());
        break;
    }
    std::memcpy(dst.data() + t * rows * H, h.data(), static_cast<size_t>(rows * H) * sizeof(float));
  }
}

}  // namespace ferry
