// Gradient clipping by the global L2 norm over all trainable parameters.
#pragma once

#include "core/param.h"

namespace ferry {

// sqrt of the sum of squares of every trainable parameter's gradient, in double; the same for every thread
// count.
double global_grad_norm(const ParamRegistry& params);

// max_norm > 0. Computes the global norm and, when it exceeds max_norm, scales every trainable gradient by
// max_norm / norm. Returns the norm before clipping. A non-finite norm (an overflow, Inf or NaN somewhere)
// leaves the gradients untouched: the caller sees it in the result and should skip the update.
double clip_global_norm(ParamRegistry& params, double max_norm);

}  // namespace ferry
