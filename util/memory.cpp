#include "util/memory.h"

#include <malloc.h>

namespace ferry {

void retain_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // serve blocks up to 1 GiB from the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);  // and do not give the heap's top back to the system
}

}  // namespace ferry
