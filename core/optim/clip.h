// Gradient clipping by the global L2 norm over all trainable parameters.
#pragma once

#include "core/param.h"

namespace ferry {

// sqrt of the sum of squares of every trainable parameter's gradient, in double; the same for every thread
// count.
double global_grad_norm(const ParamRegistry& params);

// The factor that clips gradients of global norm `norm` to at most max_norm (> 0): max_norm / norm when the
// norm exceeds it, else 1. Pass it to Optimizer::step, which applies it on the fly. A non-finite norm (an
// overflow, Inf or NaN somewhere) is the caller's to handle: skip the update.
float clip_factor(double norm, double max_norm);

}  // namespace ferry
