#include "core/layers/rnn_weights.h"

#include <cmath>

#include "util/error.h"

namespace ferry {
namespace {

// The parameter's plain layout with oneDNN's leading layer and direction dims (both 1).
dnnl::memory::desc with_layer_and_direction(const Parameter& param) {
  Dims dims = {1, 1};
  dims.insert(dims.end(), param.value.dims().begin(), param.value.dims().end());
  return param.value.desc().reshape(dims);
}

Parameter& add_weights(ParamRegistry& params, const std::string& name, const Dims& dims,
                       int64_t hidden_size) {
  FERRY_CHECK(hidden_size > 0 && dims[0] > 0, InternalError,
              "RNN layer '" << name << "' needs positive sizes, got " << dims_text(dims));
  return params.add(name, dims, Init::uniform(1.0f / std::sqrt(static_cast<float>(hidden_size))));
}

}  // namespace

RnnWeights::RnnWeights(ParamRegistry& params, const std::string& scope, CellKind cell, int64_t input_size,
                       int64_t hidden_size)
    : weights_layer_(add_weights(params, scope + "/weights_layer",
                                 {input_size, gate_count(cell), hidden_size}, hidden_size)),
      weights_iter_(add_weights(params, scope + "/weights_iter", {hidden_size, gate_count(cell), hidden_size},
                                hidden_size)),
      bias_(params.add(scope + "/bias", {bias_gate_count(cell), hidden_size}, Init::zeros())),
      weights_layer_layouts_(weights_layer_, with_layer_and_direction(weights_layer_)),
      weights_iter_layouts_(weights_iter_, with_layer_and_direction(weights_iter_)),
      bias_layouts_(bias_, with_layer_and_direction(bias_)),
      weights_layer_grad_(weights_layer_, with_layer_and_direction(weights_layer_)),
      weights_iter_grad_(weights_iter_, with_layer_and_direction(weights_iter_)),
      bias_grad_(bias_, with_layer_and_direction(bias_)) {}

void RnnWeights::bind_values(BoundPrimitive& primitive) {
  primitive.bind(DNNL_ARG_WEIGHTS_LAYER, weights_layer_layouts_.data(primitive.desc(DNNL_ARG_WEIGHTS_LAYER)));
  primitive.bind(DNNL_ARG_WEIGHTS_ITER, weights_iter_layouts_.data(primitive.desc(DNNL_ARG_WEIGHTS_ITER)));
  primitive.bind(DNNL_ARG_BIAS, bias_layouts_.data(primitive.desc(DNNL_ARG_BIAS)));
}

void RnnWeights::bind_gradient_accumulators(BoundPrimitive& primitive) {
  primitive.bind(DNNL_ARG_DIFF_WEIGHTS_LAYER,
                 weights_layer_grad_.accumulator(primitive.desc(DNNL_ARG_DIFF_WEIGHTS_LAYER)));
  primitive.bind(DNNL_ARG_DIFF_WEIGHTS_ITER,
                 weights_iter_grad_.accumulator(primitive.desc(DNNL_ARG_DIFF_WEIGHTS_ITER)));
  primitive.bind(DNNL_ARG_DIFF_BIAS, bias_grad_.accumulator(primitive.desc(DNNL_ARG_DIFF_BIAS)));
}

void RnnWeights::add_gradients_to_grads() {
  weights_layer_grad_.add_to_grad();
  weights_iter_grad_.add_to_grad();
  bias_grad_.add_to_grad();
}

int64_t RnnWeights::reorder_count() const {
  return weights_layer_layouts_.reorder_count() + weights_iter_layouts_.reorder_count() +
         bias_layouts_.reorder_count();
}

}  // namespace ferry
