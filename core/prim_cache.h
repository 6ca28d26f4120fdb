// Primitives made once per shape (see BoundPrimitive), kept in a small least-recently-used cache keyed by
// everything that determines the primitive. Not thread-safe: ops are called from one thread and parallelise
// inside.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <utility>

#include "core/bound_primitive.h"

namespace ferry {

// Shape, strides, flags and thread count of one primitive; unused trailing entries stay 0.
using PrimKey = std::array<int64_t, 16>;

class PrimitiveCache {
 public:
  explicit PrimitiveCache(size_t capacity);

  // The entry for `key` (now the most recently used), or nullptr.
  BoundPrimitive* find(const PrimKey& key);
  // Stores an entry for a key not yet present, evicting the least recently used one when full.
  BoundPrimitive& insert(const PrimKey& key, BoundPrimitive entry);
  size_t size() const { return entries_.size(); }

 private:
  using Entry = std::pair<PrimKey, BoundPrimitive>;
  size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::map<PrimKey, std::list<Entry>::iterator> index_;
};

}  // namespace ferry
