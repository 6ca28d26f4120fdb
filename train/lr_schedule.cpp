#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace ferry {

LrSchedule::LrSchedule(const ScheduleConfig& config, double base_lr) : config_(config), base_lr_(base_lr) {}

double LrSchedule::lr(int64_t step) const {
  const double s = static_cast<double>(std::max<int64_t>(step, 1));
  const double warmup = static_cast<double>(config_.warmup_steps);
  const double warm = warmup > 0 && s < warmup ? s / warmup : 1.0;
  if (config_.name == "inverse_sqrt") {
    // Rises linearly to base_lr at the end of warm-up, then falls as 1/sqrt(step).
    return base_lr_ * warm * std::sqrt(std::max(warmup, 1.0) / std::max(s, std::max(warmup, 1.0)));
  }
  if (config_.name == "plateau") return std::max(base_lr_ * state_.scale, config_.min_lr) * warm;
  return base_lr_ * warm;
}

bool LrSchedule::on_validation(bool improved) {
  if (config_.name != "plateau") return false;
  if (improved) {
    state_.bad_validations = 0;
    return false;
  }
  if (++state_.bad_validations <= config_.patience) return false;
  state_.bad_validations = 0;
  state_.scale *= config_.factor;
  return true;
}

}  // namespace ferry
