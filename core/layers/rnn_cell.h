// The recurrent cells and how each maps onto oneDNN's RNN primitives (unidirectional left-to-right, one
// layer).
//
// Gate order inside the gate axis G of weights, bias and their gradients (oneDNN's, fixed):
//   kLstm: i, f, c~, o            c_t = f * c_{t-1} + i * c~;  h_t = o * tanh(c_t)
//   kGru:  u, r, o (bias u, r, o, u')  linear-before-reset GRU (oneDNN lbr_gru, PyTorch nn.GRU):
//          o = tanh(W_o x + r * (U_o h_{t-1} + b_u') + b_o);  h_t = u * h_{t-1} + (1 - u) * o
//   kRnn:  one gate               h_t = tanh(W x + U h_{t-1} + b)
#pragma once

#include <cstdint>
#include <string>
#include <oneapi/dnnl/dnnl.hpp>

namespace ferry {

enum class CellKind { kLstm, kGru, kRnn };

const char* cell_name(CellKind cell);  // "lstm", "gru", "rnn"
// InputError listing the choices for any other name.
CellKind parse_cell(const std::string& name);
// Gates G in weights_layer / weights_iter: 4, 3, 1.
int64_t gate_count(CellKind cell);
// Rows of the bias: 4, 4 (the GRU's extra u'), 1.
int64_t bias_gate_count(CellKind cell);
// Whether the cell carries a state c beside h (LSTM).
bool has_cell_state(CellKind cell);

// The memory descriptors of one RNN problem in oneDNN's terms ({T, N, C} layer tensors, {L, D, N, C} states,
// {L, D, C, G, H} weights, {L, D, G, H} bias); a default (zero) descriptor is an absent argument.
struct RnnDescs {
  dnnl::memory::desc src_layer, src_iter, src_iter_c;
  dnnl::memory::desc weights_layer, weights_iter, bias;
  dnnl::memory::desc dst_layer, dst_iter, dst_iter_c;
};

// A forward (training or inference) primitive descriptor for `cell`; src_iter_c / dst_iter_c are used only
// by the LSTM. Throws dnnl::error when oneDNN has no implementation.
dnnl::primitive_desc rnn_forward_pd(CellKind cell, dnnl::prop_kind prop, const RnnDescs& data);
// The backward primitive descriptor matching `forward` (a forward_training descriptor of the same problem);
// `diff` holds the gradient descriptors in the same roles (diff_src_layer in src_layer, and so on).
dnnl::primitive_desc rnn_backward_pd(CellKind cell, const RnnDescs& data, const RnnDescs& diff,
                                     const dnnl::primitive_desc_base& forward);

}  // namespace ferry
