#include "core/optim/optimizer.h"

#include <algorithm>
#include <map>

#include "core/optim/weight_average.h"
#include "util/error.h"

namespace ferry {
namespace {

// Elements per piece: with Adam's three arrays, the gradient and the average, 320 KiB.
constexpr int64_t kPieceElements = 1 << 14;

}  // namespace

Optimizer::Optimizer(ParamRegistry& params, float learning_rate, const std::vector<std::string>& slot_names)
    : learning_rate_(learning_rate), slot_names_(slot_names) {
  for (Parameter* param : params.all()) {
    if (!param->trainable) continue;
    Tracked tracked{param, {}};
    for (size_t s = 0; s < slot_names_.size(); ++s) tracked.slots.emplace_back(param->value.dims());
    tracked_.push_back(std::move(tracked));
    const int64_t n = param->value.numel();
    for (int64_t begin = 0; begin < n; begin += kPieceElements)
      pieces_.push_back({tracked_.size() - 1, begin, std::min(n, begin + kPieceElements)});
  }
}

void Optimizer::step(float grad_scale, WeightAverage* average) {
  if (average) {
    FERRY_CHECK(average->tracked_count() == tracked_.size(), InternalError,
                "weight average over " << average->tracked_count() << " parameters, optimizer over "
                                       << tracked_.size());
    for (size_t i = 0; i < tracked_.size(); ++i) {
      FERRY_CHECK(&average->tracked_param(i) == tracked_[i].param, InternalError,
                  "weight average and optimizer track other parameters at " << tracked_[i].param->name);
    }
  }
  ++steps_;
  begin_step();
  const auto count = static_cast<int64_t>(pieces_.size());
#pragma omp parallel for schedule(static)
  for (int64_t p = 0; p < count; ++p) {
    const Piece& piece = pieces_[static_cast<size_t>(p)];
    Tracked& tracked = tracked_[piece.tracked];
    update(*tracked.param, tracked.slots, grad_scale, piece.begin, piece.end);
    if (average) average->update_piece(piece.tracked, steps_, piece.begin, piece.end);
  }
  for (Tracked& tracked : tracked_) tracked.param->changed();
}

OptimizerState Optimizer::state() const {
  OptimizerState state = live_state();
  for (NamedTensor& slot : state.slots) slot.value = slot.value.clone();
  return state;
}

OptimizerState Optimizer::live_state() const {
  OptimizerState state;
  state.steps = steps_;
  for (const Tracked& tracked : tracked_) {
    for (size_t s = 0; s < slot_names_.size(); ++s)
      state.slots.push_back({slot_names_[s] + "/" + tracked.param->name, tracked.slots[s]});
  }
  return state;
}

void Optimizer::set_state(const OptimizerState& state) {
  FERRY_CHECK(state.steps >= 0, ModelFileError, "optimizer state with a negative step count " << state.steps);
  FERRY_CHECK(state.slots.size() == tracked_.size() * slot_names_.size(), ModelFileError,
              "optimizer state has " << state.slots.size() << " tensors, this optimizer needs "
                                     << tracked_.size() * slot_names_.size());
  std::map<std::string, const Tensor*> saved;
  for (const NamedTensor& slot : state.slots) saved[slot.name] = &slot.value;
  // Everything is checked before anything changes.
  std::vector<std::pair<Tensor*, const Tensor*>> copies;
  for (Tracked& tracked : tracked_) {
    for (size_t s = 0; s < slot_names_.size(); ++s) {
      const std::string name = slot_names_[s] + "/" + tracked.param->name;
      auto it = saved.find(name);
      FERRY_CHECK(it != saved.end(), ModelFileError, "optimizer state lacks '" << name << "'");
      FERRY_CHECK(it->second->dims() == tracked.slots[s].dims(), ModelFileError,
                  "optimizer state tensor '" << name << "' has dims " << dims_text(it->second->dims())
                                             << ", expected " << dims_text(tracked.slots[s].dims()));
      copies.emplace_back(&tracked.slots[s], it->second);
    }
  }
  for (auto& [slot, value] : copies) slot->copy_from(*value);
  steps_ = state.steps;
}

}  // namespace ferry
