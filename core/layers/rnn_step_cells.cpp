#include "core/layers/rnn_step_cells.h"

#include "core/ops/fast_math.h"
#include "core/parallel.h"

namespace ferry {
namespace {

// The cells are written once over T: float in `omp simd` loops, and where AVX-512 is there, __m512 (whose
// GCC vector type takes the same operators) over 16 units at once with fast_exp's vscalefps form, which a
// vectorised float loop does not reach: the LSTM cells take a third less time.
template <typename T>
T load(const float* p);
template <>
inline float load<float>(const float* p) {
  return *p;
}
inline void store(float* p, float v) { *p = v; }
#if defined(__AVX512F__)
template <>
inline __m512 load<__m512>(const float* p) {
  return _mm512_loadu_ps(p);
}
inline void store(float* p, __m512 v) { _mm512_storeu_ps(p, v); }
#endif

template <typename T>
T sigmoid(T x) {
  return 1.0f / (1.0f + fast_exp(-x));
}

float scale_of(const float* scales, int64_t r) { return scales ? scales[r] : 1.0f; }

// Row r's parts of the gates: scales, input row and recurrent products (`width` = G·H values).
struct RowGates {
  float xs, hs;
  const float* gx;
  const float* gh;

  // Gate pre-activation without its bias at unit j of gate block `offset` (a multiple of H).
  template <typename T>
  T at(int64_t offset) const {
    return xs * load<T>(gx + offset) + hs * load<T>(gh + offset);
  }
};

RowGates row_gates(const StepGates& p, int64_t r, int64_t width) {
  return {scale_of(p.x_scales, r), scale_of(p.h_scales, r), p.x_rows[r], p.h_products + r * width};
}

// Runs cell(T, j) over units [0, H): 16 at a time where AVX-512 is there, the rest as floats.
template <typename Cell>
void over_units(int64_t H, Cell&& cell) {
  int64_t j = 0;
#if defined(__AVX512F__)
  for (; j + 16 <= H; j += 16) cell(__m512{}, j);
#endif
#pragma omp simd
  for (int64_t k = j; k < H; ++k) cell(0.0f, k);
}

// LSTM, gates i, f, c~, o: c = f·c + i·c~; h = o·tanh(c).
void lstm_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h, float* c,
                float* h_copy) {
#pragma omp parallel for schedule(static) if (rows * H * 4 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const RowGates g = row_gates(p, r, 4 * H);
    float* h_row = h + r * H;
    float* c_row = c + r * H;
    float* copy_row = h_copy ? h_copy + r * H : nullptr;
    over_units(H, [&](auto lanes, int64_t j) {
      using T = decltype(lanes);
      const T i = sigmoid(g.at<T>(j) + load<T>(bias + j));
      const T f = sigmoid(g.at<T>(H + j) + load<T>(bias + H + j));
      const T candidate = fast_tanh_absolute(g.at<T>(2 * H + j) + load<T>(bias + 2 * H + j));
      const T o = sigmoid(g.at<T>(3 * H + j) + load<T>(bias + 3 * H + j));
      const T cell = f * load<T>(c_row + j) + i * candidate;
      store(c_row + j, cell);
      const T new_h = o * fast_tanh_absolute(cell);
      store(h_row + j, new_h);
      if (copy_row) store(copy_row + j, new_h);
    });
  }
}

// Linear-before-reset GRU, gates u, r, o and bias u, r, o, u': h = u·h + (1 - u)·o.
void gru_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h, float* h_copy) {
#pragma omp parallel for schedule(static) if (rows * H * 3 >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const RowGates g = row_gates(p, r, 3 * H);
    float* h_row = h + r * H;
    float* copy_row = h_copy ? h_copy + r * H : nullptr;
    over_units(H, [&](auto lanes, int64_t j) {
      using T = decltype(lanes);
      const T u = sigmoid(g.at<T>(j) + load<T>(bias + j));
      const T reset = sigmoid(g.at<T>(H + j) + load<T>(bias + H + j));
      const T o = fast_tanh_absolute(g.xs * load<T>(g.gx + 2 * H + j) + load<T>(bias + 2 * H + j) +
                                     reset * (g.hs * load<T>(g.gh + 2 * H + j) + load<T>(bias + 3 * H + j)));
      const T new_h = u * load<T>(h_row + j) + (1.0f - u) * o;
      store(h_row + j, new_h);
      if (copy_row) store(copy_row + j, new_h);
    });
  }
}

// Vanilla RNN: h = tanh(W x + U h + b).
void tanh_cells(const StepGates& p, const float* bias, int64_t rows, int64_t H, float* h, float* h_copy) {
#pragma omp parallel for schedule(static) if (rows * H >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const RowGates g = row_gates(p, r, H);
    float* h_row = h + r * H;
    float* copy_row = h_copy ? h_copy + r * H : nullptr;
    over_units(H, [&](auto lanes, int64_t j) {
      using T = decltype(lanes);
      const T new_h = fast_tanh_absolute(g.at<T>(j) + load<T>(bias + j));
      store(h_row + j, new_h);
      if (copy_row) store(copy_row + j, new_h);
    });
  }
}

}  // namespace

void step_cells(CellKind cell, const StepGates& gates, const float* bias, int64_t rows, int64_t hidden, float* h,
                float* c, float* h_copy) {
  switch (cell) {
    case CellKind::kLstm:
      lstm_cells(gates, bias, rows, hidden, h, c, h_copy);
      break;
    case CellKind::kGru:
      gru_cells(gates, bias, rows, hidden, h, h_copy);
      break;
    case CellKind::kRnn:
      tanh_cells(gates, bias, rows, hidden, h, h_copy);
      break;
  }
}

}  // namespace ferry
