#include "core/optim/adam.h"

#include <cmath>

#include "util/error.h"

namespace ferry {

Adam::Adam(ParamRegistry& params, const AdamOptions& options)
    : Optimizer(params, options.learning_rate, {"adam_m", "adam_v"}), options_(options) {
  FERRY_CHECK(options.beta1 >= 0.0f && options.beta1 < 1.0f && options.beta2 >= 0.0f && options.beta2 < 1.0f,
              InternalError, "Adam betas " << options.beta1 << ", " << options.beta2 << " outside [0, 1)");
  FERRY_CHECK(options.epsilon > 0.0f && options.weight_decay >= 0.0f, InternalError,
              "Adam needs epsilon > 0 and weight decay >= 0");
}

void Adam::begin_step() {
  const double t = static_cast<double>(steps());
  step_size_ = static_cast<float>(learning_rate() / (1.0 - std::pow(static_cast<double>(options_.beta1), t)));
  sqrt_correction2_ = static_cast<float>(std::sqrt(1.0 - std::pow(static_cast<double>(options_.beta2), t)));
}

void Adam::update(Parameter& param, std::vector<Tensor>& slots, float grad_scale, int64_t begin,
                  int64_t end) {
  const float beta1 = options_.beta1, beta2 = options_.beta2, epsilon = options_.epsilon;
  const float step_size = step_size_, sqrt_correction2 = sqrt_correction2_;
  const float decay = 1.0f - learning_rate() * options_.weight_decay;
  float* w = param.value.data();
  const float* g = param.grad.data();
  float* m = slots[0].data();
  float* v = slots[1].data();
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    const float gi = g[i] * grad_scale;
    m[i] = beta1 * m[i] + (1.0f - beta1) * gi;
    v[i] = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    w[i] = w[i] * decay - step_size * m[i] / (std::sqrt(v[i]) / sqrt_correction2 + epsilon);
  }
}

}  // namespace ferry
