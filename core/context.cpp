#include "core/context.h"

#include <omp.h>

namespace ferry {

Context::Context() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {}

Context& Context::get() {
  static Context instance;
  return instance;
}

void Context::set_threads(int threads) { omp_set_num_threads(threads > 0 ? threads : omp_get_num_procs()); }

int Context::threads() { return omp_get_max_threads(); }

}  // namespace ferry
