// The combine layer tanh([context; h]·W + b) of a search step, split at its two inputs. The context is a
// weighted sum of encoder states, so context·W_c = Σ_s weight_s · (state_s·W_c): the encoder states are
// multiplied by W_c once per batch (project_memory, at float_precision), the step's attention sums those
// projections instead of the states, and a step multiplies only h by W_h (at the layer's precision: f32,
// bf16 or 8-bit). That takes a memory_dim x hidden product per row out of every step.
#pragma once

#include <cstdint>

#include "core/layers/linear.h"
#include "core/layers/step_weight.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class CombineStep {
 public:
  // combine: the decoder's combine layer, {memory_dim + hidden, hidden} with bias and tanh, [context; h]
  // in that order. It must outlive this object; derived copies follow its parameters' versions.
  CombineStep(Linear& combine, int64_t memory_dim, Precision precision);

  // memory {S, B, memory_dim} → projected {S, B, hidden}: state·W_c (without the bias).
  void project_memory(const Tensor& memory, Tensor& projected);
  // projected_context {R, hidden}: the step's attention weights over the projected memory; top {R, hidden};
  // out resized to {R, hidden}: tanh(projected_context + top·W_h + b).
  void step(const Tensor& projected_context, const Tensor& top, Tensor& out);

 private:
  Linear& combine_;
  const int64_t memory_dim_, hidden_;
  StepWeight context_part_, hidden_part_;  // W_c at float_precision, W_h at the layer's precision
  Tensor products_;                        // top·W_h {R, hidden}
};

}  // namespace ferry
