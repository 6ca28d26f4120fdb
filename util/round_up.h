// Rounding a count up to whole quanta: padding rows to a kernel's block, aligning a file's arrays.
#pragma once

namespace ferry {

// The smallest multiple of `quantum` (> 0) that is at least `n` (>= 0).
template <typename Int>
constexpr Int round_up(Int n, Int quantum) {
  return (n + quantum - 1) / quantum * quantum;
}

}  // namespace ferry
