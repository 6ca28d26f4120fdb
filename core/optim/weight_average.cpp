#include "core/optim/weight_average.h"

#include <algorithm>
#include <map>
#include <utility>

#include "util/error.h"

namespace ferry {

WeightAverage::WeightAverage(ParamRegistry& params, double decay) : decay_(decay) {
  FERRY_CHECK(decay > 0.0 && decay < 1.0, InternalError,
              "weight average decay " << decay << " outside (0, 1)");
  for (Parameter* param : params.all()) {
    if (param->trainable) tracked_.push_back({param, param->value.clone()});
  }
}

double WeightAverage::decay_at(double decay, int64_t step) {
  const auto t = static_cast<double>(step);
  return std::min(decay, (1.0 + t) / (10.0 + t));
}

void WeightAverage::update(int64_t step) {
  for (size_t index = 0; index < tracked_.size(); ++index)
    update_piece(index, step, 0, tracked_[index].average.numel());
}

void WeightAverage::update_piece(size_t index, int64_t step, int64_t begin, int64_t end) {
  const auto keep = static_cast<float>(decay_at(decay_, step));
  const float take = 1.0f - keep;
  Tracked& tracked = tracked_[index];
  float* average = tracked.average.data();
  const float* value = tracked.param->value.data();
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) average[i] = keep * average[i] + take * value[i];
}

void WeightAverage::swap() {
  for (Tracked& tracked : tracked_) {
    float* value = tracked.param->value.data();
    std::swap_ranges(value, value + tracked.average.numel(), tracked.average.data());
    tracked.param->changed();
  }
}

std::vector<NamedTensor> WeightAverage::live_state() const {
  std::vector<NamedTensor> state;
  state.reserve(tracked_.size());
  for (const Tracked& tracked : tracked_) state.push_back({kPrefix + tracked.param->name, tracked.average});
  return state;
}

void WeightAverage::set_state(const std::vector<NamedTensor>& state) {
  std::map<std::string, const Tensor*> saved;
  for (const NamedTensor& entry : state) saved[entry.name] = &entry.value;
  std::vector<std::pair<Tensor*, const Tensor*>> copies;
  for (Tracked& tracked : tracked_) {
    const std::string name = kPrefix + tracked.param->name;
    auto it = saved.find(name);
    FERRY_CHECK(it != saved.end(), ModelFileError, "the weight average lacks '" << name << "'");
    FERRY_CHECK(it->second->dims() == tracked.average.dims(), ModelFileError,
                "weight average tensor '" << name << "' has dims " << dims_text(it->second->dims())
                                          << ", expected " << dims_text(tracked.average.dims()));
    copies.emplace_back(&tracked.average, it->second);
  }
  for (auto& [average, value] : copies) average->copy_from(*value);
}

}  // namespace ferry
