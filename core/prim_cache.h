// Primitives made once per shape: a primitive bound to one dnnl::memory per execution argument (each call
// only re-points the memories at the caller's data), kept in a small least-recently-used cache keyed by
// everything that determines the primitive. Not thread-safe: ops are called from one thread and parallelise
// inside.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <utility>
#include <vector>

namespace ferry {

// Shape, strides, flags and thread count of one primitive; unused trailing entries stay 0.
using PrimKey = std::array<int64_t, 16>;

class BoundPrimitive {
 public:
  // args: (DNNL_ARG_* id, memory descriptor) of every execution argument; memories start without data.
  BoundPrimitive(dnnl::primitive primitive, const std::vector<std::pair<int, dnnl::memory::desc>>& args);

  // Points argument `index` (its position in the constructor's list) at `data`; primitives never write to
  // their inputs, whatever the pointer's constness.
  void bind(size_t index, const void* data);
  // Runs on the context's stream and waits for the result.
  void execute();

 private:
  dnnl::primitive primitive_;
  std::vector<dnnl::memory> memories_;
  std::vector<dnnl_exec_arg_t> args_;  // refers to memories_
};

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
