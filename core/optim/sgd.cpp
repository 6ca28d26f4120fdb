#include "core/optim/sgd.h"

#include "core/parallel.h"
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

void Sgd::update(Parameter& param, std::vector<Tensor>& slots, float grad_scale) {
  const float lr = learning_rate();
  const float step = lr * grad_scale;
  float* w = param.value.data();
  const float* g = param.grad.data();
  const int64_t n = param.value.numel();
  if (slots.empty()) {
#pragma omp parallel for schedule(static) if (n >= kParallelMinElements)
    for (int64_t i = 0; i < n; ++i) w[i] -= step * g[i];
    return;
  }
  const float momentum = options_.momentum;
  float* buffer = slots[0].data();
#pragma omp parallel for schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) {
    buffer[i] = momentum * buffer[i] + grad_scale * g[i];
    w[i] -= lr * buffer[i];
  }
}

}  // namespace ferry
