// Wall-clock timing and the summary statistics benchmarks report.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ferry {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  void restart() { start_ = std::chrono::steady_clock::now(); }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
  size_t runs = 0;
};

// Median, minimum and maximum of repeated measurements (at least one).
Spread spread_of(std::vector<double> values);
// "12.3 (min 11.9, max 13.0, 5 runs)" with `digits` decimals.
std::string format_spread(const Spread& s, int digits = 1);

// Peak resident set size of this process so far, in MiB (VmHWM).
double peak_rss_mib();

}  // namespace ferry
