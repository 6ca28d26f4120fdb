// Tensor memory: every block is zero, aligned and writable to its last byte, from the heap or mapped on a
// huge-page boundary (never mapped under AddressSanitizer).
#include "util/zeroed_block.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace ferry {
namespace {

bool all_zero(const void* data, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < bytes; ++i)
    if (p[i] != 0) return false;
  return true;
}

TEST(ZeroedBlock, EverySizeIsZeroAlignedAndWritable) {
  constexpr size_t kHugePage = size_t{2} << 20;
  for (const size_t bytes : {size_t{0}, size_t{1}, size_t{100}, kHugePage - 1, kHugePage, kHugePage + 4097,
                             3 * kHugePage + 12}) {
    SCOPED_TRACE(bytes);
    // Twice: the second block may reuse the first's memory, written all over.
    for (int round = 0; round < 2; ++round) {
      const ZeroedBlock block = allocate_zeroed(bytes);
      ASSERT_NE(block.data, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(block.data) % 64, 0u);
      EXPECT_TRUE(all_zero(block.data, bytes));
      if (bytes >= kHugePage && maps_large_blocks()) {
        EXPECT_EQ(reinterpret_cast<uintptr_t>(block.data) % kHugePage, 0u);
        EXPECT_GE(block.mapped, bytes);
      } else {
        EXPECT_EQ(block.mapped, 0u);
      }
      if (bytes > 0) std::memset(block.data, 0xab, bytes);
      release(block);
    }
  }
}

}  // namespace
}  // namespace ferry
