#include "core/optim/sgd.h"

#include "util/error.h"

namespace ferry {
namespace {

std::vector<std::string> slot_names(const SgdOptions& options) {
  if (options.momentum == 0.0f) return {};
  return {"sgd_momentum"};
}

}  // namespace

Sgd::Sgd(ParamRegistry& params, const SgdOptions& options)
    : Optimizer(params, options.learning_rate, slot_names(options)), options_(options) {
  FERRY_CHECK(options.momentum >= 0.0f && options.momentum < 1.0f, InternalError,
              "SGD momentum " << options.momentum << " outside [0, 1)");
}

void Sgd::update(Parameter& param, std::vector<Tensor>& slots, float grad_scale, int64_t begin,
                 int64_t end) {
  const float lr = learning_rate();
  const float step = lr * grad_scale;
  float* w = param.value.data();
  const float* g = param.grad.data();
  if (slots.empty()) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) w[i] -= step * g[i];
    return;
  }
  const float momentum = options_.momentum;
  float* buffer = slots[0].data();
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    buffer[i] = momentum * buffer[i] + grad_scale * g[i];
    w[i] -= lr * buffer[i];
  }
}

}  // namespace ferry
