// Named parameters (value + gradient) gathered in one ordered registry: used for initialisation, the
// optimizer, gradient checks, the model file and logs. Names are hierarchical: "encoder/l0/fw/weights_layer".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace ferry {

// How a parameter starts.
struct Init {
  enum class Kind { kZeros, kConstant, kUniform, kGlorotUniform, kNormal };
  Kind kind = Kind::kZeros;
  float value = 0.0f;   // kConstant: the value; kUniform: values in [-value, value]; kNormal: the deviation
  int64_t fan_in = 0;   // kGlorotUniform: bound = sqrt(6 / (fan_in + fan_out))
  int64_t fan_out = 0;

  static Init zeros() { return {Kind::kZeros, 0, 0, 0}; }
  static Init constant(float v) { return {Kind::kConstant, v, 0, 0}; }
  static Init uniform(float bound) { return {Kind::kUniform, bound, 0, 0}; }
  static Init glorot(int64_t fan_in, int64_t fan_out) { return {Kind::kGlorotUniform, 0, fan_in, fan_out}; }
  // Normally distributed with mean 0 and deviation `deviation`.
  static Init normal(float deviation) { return {Kind::kNormal, deviation, 0, 0}; }
};

struct Parameter {
  std::string name;
  Tensor value;   // canonical plain layout, f32
  Tensor grad;    // same dims as value
  Init init;
  bool trainable = true;  // false: never updated by the optimizer (and excluded from clipping)
  // Bumped whenever `value` changes (optimizer step, load, initialisation) so that derived copies
  // (reordered or bf16 weights) know when they are stale.
  uint64_t version = 0;

  void changed() { ++version; }
};

class ParamRegistry {
 public:
  // Without `gradients` every grad stays empty: a registry of a model that is only run, never trained.
  // With `shared_values` (no gradients then), each parameter added takes the value of the parameter of the
  // same name there, sharing its storage and version: a network run on several threads at once holds its
  // weights once. add() then allocates no value, and throws InternalError for a name `shared_values` lacks
  // or holds with other dims. Values stay alive while any registry that shares them does.
  explicit ParamRegistry(bool gradients = true, const ParamRegistry* shared_values = nullptr);
  ParamRegistry(const ParamRegistry&) = delete;
  ParamRegistry& operator=(const ParamRegistry&) = delete;

  // Registers a parameter (zero value or the shared one and, if the registry has gradients, zero gradient);
  // InternalError if the name is taken.
  Parameter& add(const std::string& name, const Dims& dims, Init init, bool trainable = true);
  // InternalError if absent.
  Parameter& get(const std::string& name);
  const Parameter& get(const std::string& name) const;
  bool has(const std::string& name) const { return index_.count(name) != 0; }

  // In registration order.
  const std::vector<Parameter*>& all() const { return order_; }
  bool has_gradients() const { return gradients_; }
  size_t size() const { return order_.size(); }
  // Total number of scalar values.
  int64_t element_count() const;

  // Gives every parameter its initial value. Each draws from its own stream (seed, hash of its name), so a
  // parameter's start does not depend on which others exist.
  void initialize(uint64_t seed);
  void zero_grads();

 private:
  bool gradients_;
  const ParamRegistry* shared_values_;
  std::vector<std::unique_ptr<Parameter>> storage_;
  std::vector<Parameter*> order_;
  std::map<std::string, Parameter*> index_;
};

}  // namespace ferry
