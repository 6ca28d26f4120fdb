// Damaging a training run's numbers on purpose, for tests of how training copes with non-finite values.
#pragma once

#include <cstdint>
#include <string>

namespace ferry {

// Rewrites the checkpoint at `path` with element `index` of parameter `name` (e.g. "output/bias") set to NaN.
void poison_checkpoint_parameter(const std::string& path, const std::string& name, int64_t index);

}  // namespace ferry
