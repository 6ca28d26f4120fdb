// Learning-rate schedules: constant, inverse square root, and decay on a validation plateau; each with an
// optional linear warm-up. The state is two numbers, saved in checkpoints.
#pragma once

#include <cstdint>

#include "train/train_config.h"

namespace ferry {

class LrSchedule {
 public:
  struct State {
    double scale = 1.0;               // plateau: product of the decays so far
    int64_t bad_validations = 0;      // plateau: validations without improvement since the last decay
  };

  LrSchedule(const ScheduleConfig& config, double base_lr);

  // The learning rate of (1-based) step `step`.
  double lr(int64_t step) const;
  // Reports a validation result; returns true when it decayed the rate.
  bool on_validation(bool improved);

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }

 private:
  ScheduleConfig config_;
  double base_lr_;
  State state_;
};

}  // namespace ferry
