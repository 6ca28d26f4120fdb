#include "support/thread_count.h"

#include <omp.h>

namespace ferry {

ScopedThreadCount::ScopedThreadCount(int threads) : previous_(omp_get_max_threads()) {
  omp_set_num_threads(threads);
}

ScopedThreadCount::~ScopedThreadCount() { omp_set_num_threads(previous_); }

}  // namespace ferry
