#include "core/layers/int8_rnn.h"

#include <cstring>

#include "core/layers/rnn_step_cells.h"
#include "util/error.h"

namespace ferry {

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
  x_rows_.resize(static_cast<size_t>(rows));
  for (int64_t t = 0; t < steps; ++t) {
    recurrent_.multiply(h, h_products_, h_scales_);
    for (int64_t r = 0; r < rows; ++r) x_rows_[r] = x_products_.data() + (t * rows + r) * gates;
    const StepGates p{x_rows_.data(), x_scales_.data() + t * rows, h_products_.data(), h_scales_.data()};
    step_cells(cell_, p, bias, rows, H, h.data(), lstm ? c.data() : nullptr);
    std::memcpy(dst.data() + t * rows * H, h.data(), static_cast<size_t>(rows * H) * sizeof(float));
  }
}

}  // namespace ferry
