#include "util/progress_bar.h"

#include <algorithm>

namespace ferry {

std::string progress_bar(int64_t done, int64_t total, int width) {
  const int64_t filled = total > 0 ? std::clamp<int64_t>(done * width / total, 0, width) : width;
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), ' ') + "] " + std::to_string(done) + "/" +
         std::to_string(total);
}

}  // namespace ferry
