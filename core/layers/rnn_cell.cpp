#include "core/layers/rnn_cell.h"

#include "core/context.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr dnnl::rnn_direction kLeftToRight = dnnl::rnn_direction::unidirectional_left2right;

// A primitive descriptor from a typed operation descriptor (all RNN kinds share dnnl_rnn_desc_t).
template <typename OpDesc>
dnnl::primitive_desc make_pd(const OpDesc& op, const dnnl::primitive_desc_base* forward_hint) {
  const dnnl::primitive_attr attr = Context::scratchpad_attr();
  return dnnl::primitive_desc(&op.data, &attr, Context::get().engine(),
                              forward_hint != nullptr ? forward_hint->get() : nullptr);
}

}  // namespace

const char* cell_name(CellKind cell) {
  switch (cell) {
    case CellKind::kLstm:
      return "lstm";
    case CellKind::kGru:
      return "gru";
    case CellKind::kRnn:
      return "rnn";
  }
  FERRY_THROW(InternalError, "unknown cell kind " << static_cast<int>(cell));
}

CellKind parse_cell(const std::string& name) {
  for (const CellKind cell : {CellKind::kLstm, CellKind::kGru, CellKind::kRnn})
    if (name == cell_name(cell)) return cell;
  FERRY_THROW(InputError, "unknown cell '" << name << "' (choose lstm, gru or rnn)");
}

int64_t gate_count(CellKind cell) {
  switch (cell) {
    case CellKind::kLstm:
      return 4;
    case CellKind::kGru:
      return 3;
    case CellKind::kRnn:
      return 1;
  }
  FERRY_THROW(InternalError, "unknown cell kind " << static_cast<int>(cell));
}

int64_t bias_gate_count(CellKind cell) { return cell == CellKind::kGru ? 4 : gate_count(cell); }

bool has_cell_state(CellKind cell) { return cell == CellKind::kLstm; }

dnnl::primitive_desc rnn_forward_pd(CellKind cell, dnnl::prop_kind prop, const RnnDescs& d) {
  switch (cell) {
    case CellKind::kLstm:
      return make_pd(
          dnnl::lstm_forward::desc(prop, kLeftToRight, d.src_layer, d.src_iter, d.src_iter_c, d.weights_layer,
                                   d.weights_iter, d.bias, d.dst_layer, d.dst_iter, d.dst_iter_c),
          nullptr);
    case CellKind::kGru:
      return make_pd(dnnl::lbr_gru_forward::desc(prop, kLeftToRight, d.src_layer, d.src_iter, d.weights_layer,
                                                 d.weights_iter, d.bias, d.dst_layer, d.dst_iter),
                     nullptr);
    case CellKind::kRnn:
      return make_pd(dnnl::vanilla_rnn_forward::desc(prop, dnnl::algorithm::eltwise_tanh, kLeftToRight,
                                                     d.src_layer, d.src_iter, d.weights_layer, d.weights_iter,
                                                     d.bias, d.dst_layer, d.dst_iter),
                     nullptr);
  }
  FERRY_THROW(InternalError, "unknown cell kind " << static_cast<int>(cell));
}

dnnl::primitive_desc rnn_backward_pd(CellKind cell, const RnnDescs& d, const RnnDescs& g,
                                     const dnnl::primitive_desc_base& forward) {
  const dnnl::prop_kind prop = dnnl::prop_kind::backward;
  switch (cell) {
    case CellKind::kLstm:
      return make_pd(
          dnnl::lstm_backward::desc(prop, kLeftToRight, d.src_layer, d.src_iter, d.src_iter_c,
                                    d.weights_layer, d.weights_iter, d.bias, d.dst_layer, d.dst_iter,
                                    d.dst_iter_c, g.src_layer, g.src_iter, g.src_iter_c, g.weights_layer,
                                    g.weights_iter, g.bias, g.dst_layer, g.dst_iter, g.dst_iter_c),
          &forward);
    case CellKind::kGru:
      return make_pd(dnnl::lbr_gru_backward::desc(prop, kLeftToRight, d.src_layer, d.src_iter,
                                                  d.weights_layer, d.weights_iter, d.bias, d.dst_layer,
                                                  d.dst_iter, g.src_layer, g.src_iter, g.weights_layer,
                                                  g.weights_iter, g.bias, g.dst_layer, g.dst_iter),
                     &forward);
    case CellKind::kRnn:
      return make_pd(dnnl::vanilla_rnn_backward::desc(
                         prop, dnnl::algorithm::eltwise_tanh, kLeftToRight, d.src_layer, d.src_iter,
                         d.weights_layer, d.weights_iter, d.bias, d.dst_layer, d.dst_iter, g.src_layer,
                         g.src_iter, g.weights_layer, g.weights_iter, g.bias, g.dst_layer, g.dst_iter),
                     &forward);
  }
  FERRY_THROW(InternalError, "unknown cell kind " << static_cast<int>(cell));
}

}  // namespace ferry
