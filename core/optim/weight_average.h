// An exponential moving average of a registry's trainable parameters (Polyak averaging): after optimizer
// step t (1-based), average = d_t * average + (1 - d_t) * value, with d_t = min(decay, (1 + t) / (10 + t)),
// so that the random start is forgotten within the first steps whatever the decay. The averaged weights
// usually translate better than the last ones; they are swapped in while a model is validated or saved.
#pragma once

#include <cstdint>
#include <vector>

#include "core/optim/optimizer.h"
#include "core/param.h"

namespace ferry {

class WeightAverage {
 public:
  // Averages the trainable parameters of `params` (which must outlive it), starting from their values now.
  // decay in (0, 1).
  WeightAverage(ParamRegistry& params, double decay);

  // The decay d_t used after step t.
  static double decay_at(double decay, int64_t step);

  // Folds in the parameters' values after optimizer step `step`, in a pass of its own on one thread; training
  // folds them in through Optimizer::step instead.
  void update(int64_t step);
  // update(step) for elements [begin, end) of the tracked parameter `index` only (in the registry's order of
  // the trainable parameters), for an optimizer that folds each piece in as it updates it (Optimizer::step).
  void update_piece(size_t index, int64_t step, int64_t begin, int64_t end);
  size_t tracked_count() const { return tracked_.size(); }
  const Parameter& tracked_param(size_t index) const { return *tracked_[index].param; }

  // Exchanges every tracked parameter's value with its average (bumping its version); a second call
  // exchanges them back.
  void swap();

  // The averages, sharing storage, named "average/<parameter name>", for the checkpoint.
  std::vector<NamedTensor> live_state() const;
  // Restores averages saved by live_state over parameters of the same names and dims; ModelFileError naming
  // the first one missing or of other dims, before anything changes.
  void set_state(const std::vector<NamedTensor>& state);

  static constexpr const char* kPrefix = "average/";

 private:
  struct Tracked {
    Parameter* param;
    Tensor average;
  };

  double decay_;
  std::vector<Tracked> tracked_;
};

}  // namespace ferry
