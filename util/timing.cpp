#include "util/timing.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "util/error.h"

namespace ferry {

Spread spread_of(std::vector<double> values) {
  FERRY_CHECK(!values.empty(), InternalError, "no measurements");
  std::sort(values.begin(), values.end());
  Spread s;
  const size_t n = values.size();
  s.median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
  s.min = values.front();
  s.max = values.back();
  s.runs = n;
  return s;
}

std::string format_spread(const Spread& s, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << s.median << " (min " << s.min << ", max " << s.max << ", "
      << s.runs << " runs)";
  return out.str();
}

double peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace ferry
