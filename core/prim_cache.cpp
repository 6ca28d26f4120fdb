#include "core/prim_cache.h"

#include "core/context.h"
#include "util/error.h"

namespace ferry {

PrimitiveCache::PrimitiveCache(size_t capacity) : capacity_(capacity) {
  FERRY_CHECK(capacity > 0, InternalError, "a primitive cache needs room for one entry");
  // Statics die in reverse order of construction: make sure the engine outlives a static cache's primitives.
  Context::get();
}

BoundPrimitive* PrimitiveCache::find(const PrimKey& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return &it->second->second;
}

BoundPrimitive& PrimitiveCache::insert(const PrimKey& key, BoundPrimitive entry) {
  FERRY_CHECK(index_.count(key) == 0, InternalError, "primitive cache key inserted twice");
  if (entries_.size() == capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
  entries_.emplace_front(key, std::move(entry));
  index_[key] = entries_.begin();
  return entries_.front().second;
}

}  // namespace ferry
