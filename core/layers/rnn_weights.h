// The parameters of one RNN layer and their exchange with oneDNN primitives.
//
// Registered under a scope, plain row-major f32, gates in the order rnn_cell.h gives:
//   <scope>/weights_layer {I, G, H}  input -> gates (oneDNN ldigo without the L and D dims)
//   <scope>/weights_iter  {H, G, H}  previous h -> gates (ldigo)
//   <scope>/bias          {B, H}     B = bias_gate_count (ldgo)
// Weights start uniform in [-1/sqrt(H), 1/sqrt(H)] (as PyTorch's RNN layers), the bias at zero.
#pragma once

#include <cstdint>
#include <string>

#include "core/bound_primitive.h"
#include "core/layers/rnn_cell.h"
#include "core/param.h"
#include "core/param_layouts.h"

namespace ferry {

class RnnWeights {
 public:
  RnnWeights(ParamRegistry& params, const std::string& scope, CellKind cell, int64_t input_size,
             int64_t hidden_size);

  // Binds DNNL_ARG_WEIGHTS_LAYER, _WEIGHTS_ITER and _BIAS of `primitive` to the current values in the
  // layouts it expects (reordering only what changed since the last call for that layout).
  void bind_values(BoundPrimitive& primitive);
  // Binds DNNL_ARG_DIFF_WEIGHTS_LAYER, _DIFF_WEIGHTS_ITER and _DIFF_BIAS to where oneDNN adds the gradients
  // (see GradientSink::accumulator).
  void bind_gradient_accumulators(BoundPrimitive& primitive);
  // Adds the gradients the primitive bound by bind_gradient_accumulators() wrote into buffers to the
  // parameters' grads.
  void add_gradients_to_grads();

  // Reorders of parameter values into primitive layouts so far.
  int64_t reorder_count() const;

  const Parameter& weights_layer() const { return weights_layer_; }
  const Parameter& weights_iter() const { return weights_iter_; }
  const Parameter& bias() const { return bias_; }

 private:
  Parameter& weights_layer_;
  Parameter& weights_iter_;
  Parameter& bias_;
  ParamLayouts weights_layer_layouts_, weights_iter_layouts_, bias_layouts_;
  GradientSink weights_layer_grad_, weights_iter_grad_, bias_grad_;
};

}  // namespace ferry
