// Runs part of a test with a given OpenMP thread count and restores the previous count afterwards, also when
// an assertion leaves the scope early.
#pragma once

#include <utility>

namespace ferry {

class ScopedThreadCount {
 public:
  explicit ScopedThreadCount(int threads);
  ~ScopedThreadCount();
  ScopedThreadCount(const ScopedThreadCount&) = delete;
  ScopedThreadCount& operator=(const ScopedThreadCount&) = delete;

 private:
  int previous_;
};

// Returns run() computed with `threads` OpenMP threads.
template <typename Run>
auto with_threads(int threads, Run&& run) {
  ScopedThreadCount scope(threads);
  return std::forward<Run>(run)();
}

}  // namespace ferry
