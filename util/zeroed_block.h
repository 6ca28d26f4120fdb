// Zero-filled, 64-byte aligned memory for tensors. A block of 2 MiB or more is mapped from the kernel on a
// 2 MiB boundary with transparent huge pages asked for: the kernel's pages are zero already, so nothing is
// cleared twice, and its first touch costs a page fault per 2 MiB instead of one per 4 KiB (loading a model
// was mostly such faults), with fewer TLB misses in the products after. Smaller blocks come from the heap, and
// so does every block under AddressSanitizer.
#pragma once

#include <cstddef>

namespace ferry {

struct ZeroedBlock {
  void* data = nullptr;
  size_t mapped = 0;  // bytes mapped from the kernel; 0 for a block from the heap
};

// std::bad_alloc when there is no memory.
ZeroedBlock allocate_zeroed(size_t bytes);
void release(const ZeroedBlock& block);
// Whether blocks of 2 MiB and more are mapped: false under AddressSanitizer.
bool maps_large_blocks();

}  // namespace ferry
