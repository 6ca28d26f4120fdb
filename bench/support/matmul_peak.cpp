#include "bench/support/matmul_peak.h"

#include <vector>

#include "core/ops/matmul.h"
#include "core/tensor.h"
#include "util/timing.h"

namespace ferry {

double matmul_gflops(int64_t m, int64_t k, int64_t n, DType type, int runs, int repeats) {
  Tensor a({m, k}, type), b({k, n}, type), c({m, n});  // zeros: the speed does not depend on the values
  matmul(matrix(a), matrix(b), matrix(c));  // creates the primitive outside the timing
  std::vector<double> rates;
  for (int run = 0; run < runs; ++run) {
    Stopwatch watch;
    for (int i = 0; i < repeats; ++i) matmul(matrix(a), matrix(b), matrix(c));
    rates.push_back(2.0 * static_cast<double>(m * k * n) * repeats / watch.seconds() / 1e9);
  }
  return spread_of(rates).median;
}

}  // namespace ferry
