#include "core/layers/token_input_step.h"

#include "core/layers/rnn_step_cells.h"
#include "core/ops/matmul.h"
#include "util/error.h"

namespace ferry {

TokenInputStep::TokenInputStep(CellKind cell, Precision precision, const Parameter& embedding,
                               const Parameter& weights_layer, const Parameter& weights_iter,
                               const Parameter& bias)
    : cell_(cell),
      dtype_(compute_type(precision)),
      hidden_(weights_iter.value.dim(0)),
      weights_iter_(weights_iter),
      bias_(bias),
      table_(embedding, weights_layer),
      h_products_({0}),
      h_scales_({0}) {
  FERRY_CHECK(table_.width() == hidden_ * gate_count(cell) && weights_iter.value.numel() == hidden_ * table_.width(),
              InternalError,
              "token input step: " << cell_name(cell) << " weights " << dims_text(weights_layer.value.dims())
                                   << ", " << dims_text(weights_iter.value.dims()));
  if (precision == Precision::kInt8) int8_weight_ = std::make_unique<Int8Weight>(weights_iter);
}

void TokenInputStep::step(const std::vector<int32_t>& tokens, Tensor& h, Tensor& c) {
  const auto rows = static_cast<int64_t>(tokens.size());
  const bool lstm = has_cell_state(cell_);
  FERRY_CHECK(h.dims() == (Dims{rows, hidden_}) && (!lstm || c.dims() == (Dims{rows, hidden_})), InternalError,
              "token input step: state " << dims_text(h.dims()) << " for " << rows << " tokens of hidden size "
                                         << hidden_);
  if (rows == 0) return;
  const std::vector<const float*>& x_rows = table_.rows(tokens);
  const int64_t width = table_.width();
  const float* h_scales = nullptr;
  if (int8_weight_) {
    int8_weight_->multiply(h, h_products_, h_scales_);
    h_scales = h_scales_.data();
  } else {
    h_products_.resize({rows, width});
    if (dtype_ == DType::kF32) {
      matmul(matrix(h), matrix(weights_iter_.value.reshaped({hidden_, width})), matrix(h_products_));
    } else {
      matmul(matrix(h_bf16_.of(h)), matrix(weights_bf16_.of(weights_iter_).reshaped({hidden_, width})),
             matrix(h_products_));
    }
  }
  const StepGates gates{x_rows.data(), nullptr, h_products_.data(), h_scales};
  step_cells(cell_, gates, bias_.value.data(), rows, hidden_, h.data(), lstm ? c.data() : nullptr);
}

}  // namespace ferry
