// A small, fast, seedable random generator whose whole state can be saved and restored (exact resume).
// Its output is the same on every platform: no std:: distributions are involved.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferry {

class Rng {
 public:
  using State = std::array<uint64_t, 4>;

  // Seeds from (seed, stream): different streams of one seed are independent sequences.
  explicit Rng(uint64_t seed = 1, uint64_t stream = 0);

  uint64_t next_u64();
  // Uniform in [0, 1) with 24 random bits.
  float uniform();
  // Uniform integer in [0, bound); bound > 0.
  uint64_t below(uint64_t bound);

  // Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }

 private:
  State state_;
};

}  // namespace ferry
