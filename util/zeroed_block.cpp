#include "util/zeroed_block.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "util/round_up.h"

namespace ferry {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kPage = 4096;

// Under AddressSanitizer every block comes from the heap, whose bounds the sanitizer checks: a mapped block
// would leave reads and writes past a large tensor's end unseen.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMapLargeBlocks = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kMapLargeBlocks = false;
#else
constexpr bool kMapLargeBlocks = true;
#endif
#else
constexpr bool kMapLargeBlocks = true;
#endif

// Maps `bytes` (a multiple of the page size) at a huge-page boundary: more is mapped, then the unaligned
// head and the tail beyond `bytes` are given back.
void* map_aligned(size_t bytes) {
  const size_t span = bytes + kHugePage;
  void* mapped = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned = round_up(start, uintptr_t{kHugePage});
  if (aligned > start) munmap(mapped, aligned - start);
  const uintptr_t end = aligned + bytes;  // before start + span: the head given back is under kHugePage
  munmap(reinterpret_cast<void*>(end), start + span - end);
  // Only a hint: without transparent huge pages the block is still zeroed 4 KiB pages.
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

}  // namespace

ZeroedBlock allocate_zeroed(size_t bytes) {
  ZeroedBlock block;
  if (kMapLargeBlocks && bytes >= kHugePage) {
    block.mapped = round_up(bytes, kPage);
    block.data = map_aligned(block.mapped);
    return block;
  }
  const size_t rounded = bytes == 0 ? 64 : round_up(bytes, size_t{64});
  block.data = std::aligned_alloc(64, rounded);
  if (block.data == nullptr) throw std::bad_alloc();
  std::memset(block.data, 0, rounded);
  return block;
}

bool maps_large_blocks() { return kMapLargeBlocks; }

void release(const ZeroedBlock& block) {
  if (block.mapped > 0) {
    munmap(block.data, block.mapped);
  } else {
    std::free(block.data);
  }
}

}  // namespace ferry
