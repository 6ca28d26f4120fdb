#include "translate/batch_plan.h"

#include <algorithm>
#include <numeric>

namespace ferry {

std::vector<std::vector<size_t>> plan_batches(const std::vector<int64_t>& lengths,
                                              const BatchLimits& limits) {
  std::vector<size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lengths[a] > lengths[b]; });
  std::vector<std::vector<size_t>> batches;
  int64_t longest = 0;  // of the open batch: its first sentence
  for (size_t index : order) {
    const int64_t padded = lengths[index] + 1;
    bool open_new = batches.empty() || static_cast<int64_t>(batches.back().size()) >= limits.sentences;
    if (!open_new && limits.tokens > 0)
      open_new = (static_cast<int64_t>(batches.back().size()) + 1) * longest > limits.tokens;
    if (open_new) {
      batches.emplace_back();
      longest = padded;
    }
    batches.back().push_back(index);
  }
  return batches;
}

}  // namespace ferry
