#include "core/prim_cache.h"

#include "core/context.h"
#include "util/error.h"

namespace ferry {

BoundPrimitive::BoundPrimitive(dnnl::primitive primitive,
                               const std::vector<std::pair<int, dnnl::memory::desc>>& args)
    : primitive_(std::move(primitive)) {
  dnnl::engine& engine = Context::get().engine();
  memories_.reserve(args.size());
  args_.reserve(args.size());
  for (const auto& [id, desc] : args) {
    memories_.emplace_back(desc, engine, static_cast<void*>(DNNL_MEMORY_NONE));
    args_.push_back({id, memories_.back().get()});
  }
}

void BoundPrimitive::bind(size_t index, const void* data) {
  FERRY_CHECK(index < memories_.size(), InternalError, "primitive argument " << index << " out of range");
  memories_[index].set_data_handle(const_cast<void*>(data));
}

void BoundPrimitive::execute() {
  dnnl::stream& stream = Context::get().stream();
  // The C entry point takes the prepared argument array; the C++ one would build a map on every call.
  dnnl::error::wrap_c_api(
      dnnl_primitive_execute(primitive_.get(), stream.get(), static_cast<int>(args_.size()), args_.data()),
      "could not execute a cached primitive");
  stream.wait();
}

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
