#include "core/optim/optimizer.h"

#include "util/error.h"

namespace ferry {

Optimizer::Optimizer(ParamRegistry& params, float learning_rate, const std::vector<std::string>& slot_names)
    : learning_rate_(learning_rate), slot_names_(slot_names) {
  for (Parameter* param : params.all()) {
    if (!param->trainable) continue;
    Tracked tracked{param, {}};
    for (size_t s = 0; s < slot_names_.size(); ++s) tracked.slots.emplace_back(param->value.dims());
    tracked_.push_back(std::move(tracked));
  }
}

void Optimizer::step() {
  ++steps_;
  for (Tracked& tracked : tracked_) {
    update(*tracked.param, tracked.slots);
    tracked.param->changed();
  }
}

OptimizerState Optimizer::state() const {
  OptimizerState state;
  state.steps = steps_;
  for (const Tracked& tracked : tracked_) {
    for (size_t s = 0; s < slot_names_.size(); ++s) {
      state.slots.push_back({slot_names_[s] + "/" + tracked.param->name, tracked.slots[s].clone()});
    }
  }
  return state;
}

void Optimizer::set_state(const OptimizerState& state) {
  FERRY_CHECK(state.steps >= 0, ModelFileError, "optimizer state with a negative step count " << state.steps);
  FERRY_CHECK(state.slots.size() == tracked_.size() * slot_names_.size(), ModelFileError,
              "optimizer state has " << state.slots.size() << " tensors, this optimizer needs "
                                     << tracked_.size() * slot_names_.size());
  size_t next = 0;
  for (const Tracked& tracked : tracked_) {
    for (size_t s = 0; s < slot_names_.size(); ++s, ++next) {
      const NamedTensor& saved = state.slots[next];
      const std::string expected = slot_names_[s] + "/" + tracked.param->name;
      FERRY_CHECK(
          saved.name == expected, ModelFileError,
          "optimizer state tensor " << next << " is '" << saved.name << "', expected '" << expected << "'");
      FERRY_CHECK(saved.value.dims() == tracked.slots[s].dims(), ModelFileError,
                  "optimizer state tensor '" << saved.name << "' has dims " << dims_text(saved.value.dims())
                                             << ", expected " << dims_text(tracked.slots[s].dims()));
    }
  }
  next = 0;
  for (Tracked& tracked : tracked_) {
    for (Tensor& slot : tracked.slots) slot.copy_from(state.slots[next++].value);
  }
  steps_ = state.steps;
}

}  // namespace ferry
