#include "core/param.h"

#include <cmath>

#include "util/error.h"
#include "util/rng.h"

namespace ferry {
namespace {

uint64_t name_hash(const std::string& name) {  // FNV-1a: stable across platforms and runs
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

ParamRegistry::ParamRegistry(bool gradients, const ParamRegistry* shared_values)
    : gradients_(gradients), shared_values_(shared_values) {
  FERRY_CHECK(!gradients || !shared_values, InternalError, "a registry that shares its values has no gradients");
}

Parameter& ParamRegistry::add(const std::string& name, const Dims& dims, Init init, bool trainable) {
  FERRY_CHECK(!has(name), InternalError, "parameter '" << name << "' registered twice");
  auto p = std::make_unique<Parameter>();
  p->name = name;
  if (shared_values_) {
    const Parameter& shared = shared_values_->get(name);
    FERRY_CHECK(shared.value.dims() == dims, InternalError,
                "parameter '" << name << "' is " << dims_text(dims) << " here but " << dims_text(shared.value.dims())
                              << " in the registry whose values it shares");
    p->value = shared.value.reshaped(dims);  // a handle of its own on the same storage
    p->version = shared.version;
  } else {
    p->value = Tensor(dims);
  }
  if (gradients_) p->grad = Tensor(dims);
  p->init = init;
  p->trainable = trainable;
  Parameter* raw = p.get();
  storage_.push_back(std::move(p));
  order_.push_back(raw);
  index_[name] = raw;
  return *raw;
}

Parameter& ParamRegistry::get(const std::string& name) {
  auto it = index_.find(name);
  FERRY_CHECK(it != index_.end(), InternalError, "no parameter named '" << name << "'");
  return *it->second;
}

const Parameter& ParamRegistry::get(const std::string& name) const {
  auto it = index_.find(name);
  FERRY_CHECK(it != index_.end(), InternalError, "no parameter named '" << name << "'");
  return *it->second;
}

int64_t ParamRegistry::element_count() const {
  int64_t n = 0;
  for (const Parameter* p : order_) n += p->value.numel();
  return n;
}

void ParamRegistry::initialize(uint64_t seed) {
  for (Parameter* p : order_) {
    Rng rng(seed, name_hash(p->name));
    float* v = p->value.data();
    const int64_t n = p->value.numel();
    const Init& init = p->init;
    switch (init.kind) {
      case Init::Kind::kZeros:
        p->value.zero();
        break;
      case Init::Kind::kConstant:
        p->value.fill(init.value);
        break;
      case Init::Kind::kUniform:
      case Init::Kind::kGlorotUniform: {
        const float bound = init.kind == Init::Kind::kUniform
                                ? init.value
                                : std::sqrt(6.0f / static_cast<float>(init.fan_in + init.fan_out));
        for (int64_t i = 0; i < n; ++i) v[i] = (2.0f * rng.uniform() - 1.0f) * bound;
        break;
      }
      case Init::Kind::kNormal:
        // Box-Muller: two uniforms give two independent standard normal values.
        for (int64_t i = 0; i < n; i += 2) {
          const double radius = std::sqrt(-2.0 * std::log(1.0 - static_cast<double>(rng.uniform())));
          const double angle = 2.0 * M_PI * static_cast<double>(rng.uniform());
          v[i] = static_cast<float>(radius * std::cos(angle)) * init.value;
          if (i + 1 < n) v[i + 1] = static_cast<float>(radius * std::sin(angle)) * init.value;
        }
        break;
    }
    p->changed();
  }
}

void ParamRegistry::zero_grads() {
  for (Parameter* p : order_) p->grad.zero();
}

}  // namespace ferry
