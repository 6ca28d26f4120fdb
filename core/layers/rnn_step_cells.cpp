#include "core/layers/rnn_step_cells.h"

#include "core/ops/fast_math.h"
#include "core/parallel.h"

namespace ferry {
namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

float scale_of(const float* scales, int64_t r) { return scales ? scales[r] : 1.0f; }

// Row r's parts of the gates: scales, input row and recurrent products (`width` = G·H values).
struct RowGates {
  float xs, hs;
  const float* gx;
  const float* gh;
};

RowGates row_gates(const StepGates& p, int64_t r, int64_t width) {
  return {scale_of(p.x_scales, r), scale_of(p.h_scales, r), p.x_rows[r], p.h_products + r * width};
}

// LSTM, gates i, f, c~, o: c = f·c + i·c~; h = o·tanh(c).
void lstm_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h, float* c) {
#pragma omp parallel for schedule(static) if (rows * H * 4 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const auto [xs, hs, gx, gh] = row_gates(p, r, 4 * H);
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

// Linear-before-reset GRU, gates u, r, o and bias u, r, o, u': h = u·h + (1 - u)·o.
void gru_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h) {
#pragma omp parallel for schedule(static) if (rows * H * 3 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const auto [xs, hs, gx, gh] = row_gates(p, r, 3 * H);
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

// Vanilla RNN: h = tanh(W x + U h + b).
void tanh_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h) {
#pragma omp parallel for schedule(static) if (rows * H >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const auto [xs, hs, gx, gh] = row_gates(p, r, H);
    float* h_row = h + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) h_row[j] = fast_tanh(xs * gx[j] + hs * gh[j] + bias[j]);
  }
}

}  // namespace

void step_cells(CellKind cell, const StepGates& gates, const float* bias, int64_t rows, int64_t hidden, float* h,
                float* c) {
  switch (cell) {
    case CellKind::kLstm:
      lstm_cells(gates, bias, rows, hidden, h, c);
      break;
    case CellKind::kGru:
      gru_cells(gates, bias, rows, hidden, h);
      break;
    case CellKind::kRnn:
      tanh_cells(gates, bias, rows, hidden, h);
      break;
  }
}

}  // namespace ferry
