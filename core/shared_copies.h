// Forms derived from parameters for the search (a packed, quantized or tabulated weight) that the networks of
// one process share when they read the same parameter storage at the same version: translation workers hold
// one copy instead of one each, and only the first to ask makes it. A copy lives while a holder keeps it;
// holders keep the parameter's storage alive too, so a live entry's storage address is never reused by
// other storage while it is a key.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace ferry {

template <typename Key, typename T>
class SharedCopies {
 public:
  // The live copy for `key`, or the one make() returns now (under the lock: a second caller with the same
  // key waits for it rather than making its own). Entries whose copies died are dropped as new ones come.
  template <typename Make>
  std::shared_ptr<T> get(const Key& key, Make make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto found = copies_.find(key); found != copies_.end())
      if (std::shared_ptr<T> copy = found->second.lock()) return copy;
    std::shared_ptr<T> copy = make();
    for (auto it = copies_.begin(); it != copies_.end();)
      it = it->second.expired() ? copies_.erase(it) : std::next(it);
    copies_[key] = copy;
    return copy;
  }

 private:
  std::mutex mutex_;
  std::map<Key, std::weak_ptr<T>> copies_;
};

}  // namespace ferry
