#include "core/layers/stepwise_rnn.h"

#include "core/layers/rnn_step_cells.h"
#include "util/error.h"

namespace ferry {

StepwiseRnn::StepwiseRnn(CellKind cell, const Parameter& weights_layer, const Parameter& weights_iter,
                         const Parameter& bias, Precision precision)
    : cell_(cell),
      input_size_(weights_layer.value.dim(0)),
      hidden_(weights_iter.value.dim(0)),
      input_(weights_layer, 0, input_size_, precision),
      recurrent_(weights_iter, 0, hidden_, precision),
      bias_(bias) {}

void StepwiseRnn::forward(const Tensor& src, Tensor& h, Tensor& c, Tensor& dst) {
  const int64_t steps = src.dim(0), rows = src.dim(1), H = hidden_;
  const bool lstm = has_cell_state(cell_);
  FERRY_CHECK(h.numel() == rows * H && (!lstm || c.numel() == rows * H) && dst.numel() == steps * rows * H,
              InternalError, "stepwise RNN: state or output does not fit " << rows << " rows of " << H);
  // Every step's input products at once.
  const float* x_scales = input_.multiply(src.reshaped({steps * rows, input_size_}), x_products_);
  const int64_t gates = H * gate_count(cell_);
  const float* bias = bias_.value.data();
  const Tensor h_rows = h.reshaped({rows, H});
  x_rows_.resize(static_cast<size_t>(rows));
  for (int64_t t = 0; t < steps; ++t) {
    const float* h_scales = recurrent_.multiply(h_rows, h_products_);
    for (int64_t r = 0; r < rows; ++r) x_rows_[r] = x_products_.data() + (t * rows + r) * gates;
    const StepGates p{x_rows_.data(), x_scales ? x_scales + t * rows : nullptr, h_products_.data(), h_scales};
    step_cells(cell_, p, bias, rows, H, h.data(), lstm ? c.data() : nullptr, dst.data() + t * rows * H);
  }
}

}  // namespace ferry
