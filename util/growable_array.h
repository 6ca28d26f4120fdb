// An array of trivially copyable values that grows by realloc: a large block is moved by remapping its pages
// rather than copied, so that an array grown to gigabytes a piece at a time has each page touched once
// (std::vector copies into fresh memory at every doubling).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace ferry {

template <typename T>
class GrowableArray {
  static_assert(std::is_trivially_copyable_v<T>, "values are moved by realloc");

 public:
  GrowableArray() = default;
  GrowableArray(const GrowableArray& other) { append(other.data(), other.size()); }
  GrowableArray(GrowableArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  GrowableArray& operator=(GrowableArray other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~GrowableArray() { std::free(data_); }

  const T* data() const { return data_; }
  size_t size() const { return size_; }

  void append(const T* values, size_t count) {
    if (count == 0) return;
    if (size_ + count > capacity_) reserve(std::max(size_ + count, capacity_ + capacity_ / 2 + 16));
    std::memcpy(data_ + size_, values, count * sizeof(T));
    size_ += count;
  }
  void push_back(T value) { append(&value, 1); }
  // Room for `capacity` values in all; never shrinks.
  void reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    void* grown = std::realloc(data_, capacity * sizeof(T));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(grown);
    capacity_ = capacity;
  }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace ferry
