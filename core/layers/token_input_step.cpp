#include "core/layers/token_input_step.h"

#include "core/layers/rnn_step_cells.h"
#include "util/error.h"

namespace ferry {

TokenInputStep::TokenInputStep(CellKind cell, Precision precision, const Parameter& embedding,
                               const Parameter& weights_layer, const Parameter& weights_iter,
                               const Parameter& bias)
    : cell_(cell),
      hidden_(weights_iter.value.dim(0)),
      bias_(bias),
      table_(embedding, weights_layer),
      recurrent_(weights_iter, 0, weights_iter.value.dim(0), precision),
      h_products_({0}) {
  FERRY_CHECK(table_.width() == hidden_ * gate_count(cell) && weights_iter.value.numel() == hidden_ * table_.width(),
              InternalError,
              "token input step: " << cell_name(cell) << " weights " << dims_text(weights_layer.value.dims())
                                   << ", " << dims_text(weights_iter.value.dims()));
}

void TokenInputStep::step(const std::vector<int32_t>& tokens, Tensor& h, Tensor& c) {
  const auto rows = static_cast<int64_t>(tokens.size());
  const bool lstm = has_cell_state(cell_);
  FERRY_CHECK(h.dims() == (Dims{rows, hidden_}) && (!lstm || c.dims() == (Dims{rows, hidden_})), InternalError,
              "token input step: state " << dims_text(h.dims()) << " for " << rows << " tokens of hidden size "
                                         << hidden_);
  if (rows == 0) return;
  const std::vector<const float*>& x_rows = table_.rows(tokens);
  const float* h_scales = recurrent_.multiply(h, h_products_);
  const StepGates gates{x_rows.data(), nullptr, h_products_.data(), h_scales};
  step_cells(cell_, gates, bias_.value.data(), rows, hidden_, h.data(), lstm ? c.data() : nullptr);
}

}  // namespace ferry
