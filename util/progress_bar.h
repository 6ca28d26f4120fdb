// A progress bar for a terminal line: "[#####     ] 412/1046".
#pragma once

#include <cstdint>
#include <string>

namespace ferry {

// `width` cells between the brackets, filled in proportion to done/total (full when total <= 0), then the
// counts.
std::string progress_bar(int64_t done, int64_t total, int width);

}  // namespace ferry
