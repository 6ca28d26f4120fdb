// Stochastic gradient descent, optionally with (heavy-ball) momentum.
#pragma once

#include "core/optim/optimizer.h"

namespace ferry {

struct SgdOptions {
  float learning_rate = 0.1f;
  // 0: w -= lr · g. Otherwise b = momentum · b + g (b starts at 0), w -= lr · b.
  float momentum = 0.0f;
};

class Sgd : public Optimizer {
 public:
  // Tracks the trainable parameters registered so far: build it after the model. With momentum, one slot
  // "sgd_momentum" per parameter.
  Sgd(ParamRegistry& params, const SgdOptions& options);

 private:
  void update(Parameter& param, std::vector<Tensor>& slots, float grad_scale, int64_t begin,
              int64_t end) override;

  SgdOptions options_;
};

}  // namespace ferry
