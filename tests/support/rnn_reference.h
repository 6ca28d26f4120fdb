// A naive recurrent forward pass written from the cell equations (rnn_cell.h), in double precision, over the
// canonical parameter layouts RnnLayer uses. The yardstick for RnnLayer's forward passes.
#pragma once

#include "core/layers/rnn_cell.h"
#include "core/tensor.h"

namespace ferry {

struct RnnReferenceOutput {
  Tensor dst;     // {T, N, H}: h at every step
  Tensor h_last;  // {N, H}
  Tensor c_last;  // {N, H}, LSTM only (else empty)
};

// weights_layer {I, G, H}, weights_iter {H, G, H}, bias {B, H}, src {T, N, I}; h0 / c0 {N, H} or
// default-constructed (zeros).
RnnReferenceOutput rnn_reference_forward(CellKind cell, const Tensor& weights_layer,
                                         const Tensor& weights_iter, const Tensor& bias, const Tensor& src,
                                         const Tensor& h0, const Tensor& c0);

}  // namespace ferry
