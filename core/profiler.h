// Wall-clock time per part of a training or translation step, for benchmarks. Off by default: a disabled
// scope costs one branch.
#pragma once

#include <array>
#include <chrono>

namespace ferry {

enum class Part { kEncoder, kBridge, kDecoderRnn, kAttention, kOutput, kOptimizer, kData, kCount };

const char* part_name(Part part);

class Profiler {
 public:
  static void set_enabled(bool enabled);
  static bool enabled() { return enabled_; }
  static void add(Part part, double seconds) { seconds_[static_cast<size_t>(part)] += seconds; }
  static double seconds(Part part) { return seconds_[static_cast<size_t>(part)]; }
  static void reset();

 private:
  static bool enabled_;
  static std::array<double, static_cast<size_t>(Part::kCount)> seconds_;
};

// Adds the time between its construction and destruction to a part.
class ProfileScope {
 public:
  explicit ProfileScope(Part part) : part_(part), active_(Profiler::enabled()) {
    if (active_) start_ = std::chrono::steady_clock::now();
  }
  ~ProfileScope() {
    if (active_)
      Profiler::add(part_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  ProfileScope(const ProfileScope&) = delete;
  ProfileScope& operator=(const ProfileScope&) = delete;

 private:
  Part part_;
  bool active_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ferry
