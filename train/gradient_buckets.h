// How the gradients of a data-parallel step are cut into buckets for summing over processes: consecutive
// parameters, taken from the last registered to the first (the order in which backward finishes them),
// each bucket at least `bucket_elements` values unless it is the last (or one parameter alone is larger).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferry {

struct GradientBucket {
  size_t first = 0, end = 0;  // parameters [first, end) in registration order
  int64_t elements = 0;       // their gradients' values together
};

// `sizes`: each parameter's gradient values, in registration order. Buckets come in the order they are
// finished: the first holds the last parameters. Parameters without gradient values belong to no bucket's
// count but to some bucket's range, so that the ranges cover every parameter once.
std::vector<GradientBucket> plan_gradient_buckets(const std::vector<int64_t>& sizes, int64_t bucket_elements);

}  // namespace ferry
