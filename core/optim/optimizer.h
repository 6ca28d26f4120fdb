// The base of the optimizers: per-parameter state buffers ("slots"), the step count, and the whole state as
// named tensors for an exact save and restore by the training checkpoint.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class WeightAverage;

struct NamedTensor {
  std::string name;
  Tensor value;
};

// Everything an optimizer needs to continue exactly where it stopped (the learning rate belongs to the
// schedule).
struct OptimizerState {
  int64_t steps = 0;
  // One tensor per slot and trainable parameter, named "<slot>/<parameter name>" (e.g.
  // "adam_m/dec/out/weight"), dims of the parameter.
  std::vector<NamedTensor> slots;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // Updates every trainable parameter from its gradient times `grad_scale` (e.g. a clipping factor, which
  // then costs no pass of its own) and bumps its version; parameters with trainable == false are left alone.
  // With `average` (over the same registry), each piece of a parameter is folded into it right after its
  // update, while the piece is still in cache: the same as average->update(steps()) after the step, without
  // a pass of its own over the weights.
  void step(float grad_scale = 1.0f, WeightAverage* average = nullptr);

  float learning_rate() const { return learning_rate_; }
  void set_learning_rate(float learning_rate) { learning_rate_ = learning_rate; }
  int64_t steps() const { return steps_; }

  // A deep copy of the state.
  OptimizerState state() const;
  // The state sharing the optimizer's own tensors: no copy, for writing it out before the next step changes it.
  OptimizerState live_state() const;
  // Restores a state taken from an optimizer of the same kind over parameters of the same names and dims;
  // ModelFileError naming the first slot that does not fit, before anything changes.
  void set_state(const OptimizerState& state);

 protected:
  // Tracks the trainable parameters registered so far, each with one zeroed slot per name in `slot_names`.
  Optimizer(ParamRegistry& params, float learning_rate, const std::vector<std::string>& slot_names);

  // Once per step before its updates, for what they share; steps() already counts the step.
  virtual void begin_step() {}
  // Applies one update to elements [begin, end) of `param` with its slots (in the order of slot_names), the
  // gradient taken as grad_scale · param.grad. Called from the threads of step's loop over pieces.
  virtual void update(Parameter& param, std::vector<Tensor>& slots, float grad_scale, int64_t begin,
                      int64_t end) = 0;

 private:
  struct Tracked {
    Parameter* param;
    std::vector<Tensor> slots;
  };
  // A range of one tracked parameter: the unit of work of a step, small enough that the optimizer's arrays
  // for it stay in a core's L2 cache until the weight average has read them.
  struct Piece {
    size_t tracked;
    int64_t begin, end;
  };

  float learning_rate_;
  int64_t steps_ = 0;
  std::vector<std::string> slot_names_;
  std::vector<Tracked> tracked_;
  std::vector<Piece> pieces_;
};

}  // namespace ferry
