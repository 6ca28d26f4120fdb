// GrowableArray: contents kept through growth, copies and moves.
#include "util/growable_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace ferry {
namespace {

std::vector<int64_t> contents(const GrowableArray<int64_t>& array) {
  return std::vector<int64_t>(array.data(), array.data() + array.size());
}

TEST(GrowableArray, KeepsEveryValueAsItGrows) {
  GrowableArray<int64_t> array;
  EXPECT_EQ(array.size(), 0u);
  std::vector<int64_t> expected;
  for (int64_t i = 0; i < 300000; ++i) {  // past the size where realloc remaps rather than copies
    const int64_t piece[3] = {i, -i, i * 7};
    array.append(piece, i % 4 == 0 ? 3 : 1);
    expected.insert(expected.end(), piece, piece + (i % 4 == 0 ? 3 : 1));
  }
  array.push_back(42);
  expected.push_back(42);
  array.append(nullptr, 0);
  EXPECT_EQ(contents(array), expected);
  array.reserve(10);  // never shrinks
  EXPECT_EQ(contents(array), expected);
}

TEST(GrowableArray, CopiesAreIndependentAndMovesLeaveEmpty) {
  GrowableArray<int64_t> a;
  for (int64_t v : {1, 2, 3}) a.push_back(v);
  GrowableArray<int64_t> copy = a;
  copy.push_back(4);
  EXPECT_EQ(contents(a), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(contents(copy), (std::vector<int64_t>{1, 2, 3, 4}));
  GrowableArray<int64_t> moved = std::move(copy);
  EXPECT_EQ(contents(moved), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(copy.size(), 0u);  // NOLINT: a moved-from array is empty and usable
  copy.push_back(9);
  EXPECT_EQ(contents(copy), (std::vector<int64_t>{9}));
  a = moved;
  EXPECT_EQ(contents(a), (std::vector<int64_t>{1, 2, 3, 4}));
  a = GrowableArray<int64_t>();
  EXPECT_EQ(a.size(), 0u);
}

}  // namespace
}  // namespace ferry
