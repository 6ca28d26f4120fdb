// Adam with bias-corrected moment estimates (Kingma & Ba), optionally with AdamW's decoupled weight decay.
#pragma once

#include "core/optim/optimizer.h"

namespace ferry {

struct AdamOptions {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
  // Decoupled weight decay (Loshchilov & Hutter): before each update every trainable parameter (biases and
  // embeddings included) is multiplied by 1 - learning_rate · weight_decay. The decay bypasses the moment
  // estimates, unlike an L2 term added to the gradient. 0 disables it.
  float weight_decay = 0.0f;
};

class Adam : public Optimizer {
 public:
  // Tracks the trainable parameters registered so far: build it after the model. Slots "adam_m" (first
  // moment) and "adam_v" (second moment) per parameter.
  Adam(ParamRegistry& params, const AdamOptions& options);

 private:
  // w -= lr · m̂ / (sqrt(v̂) + epsilon) with m̂ = m / (1 - beta1^t), v̂ = v / (1 - beta2^t).
  void begin_step() override;
  void update(Parameter& param, std::vector<Tensor>& slots, float grad_scale, int64_t begin,
              int64_t end) override;

  AdamOptions options_;
  // This step's bias corrections: lr / (1 - beta1^t) and sqrt(1 - beta2^t).
  float step_size_ = 0.0f;
  float sqrt_correction2_ = 1.0f;
};

}  // namespace ferry
