// A parameter as primitives see it: its value reordered into the layouts (and data types) primitives ask for,
// and primitive-layout gradients added back into its canonical `grad`. The canonical copy stays plain f32.
#pragma once

#include <cstdint>
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

#include "core/bound_primitive.h"
#include "core/param.h"

namespace ferry {

// The parameter's value in any number of layouts, each refreshed by one reorder per parameter version. A
// parameter without gradient (a network that is only run) has its copy of a version made once per process
// and shared with the networks on the same storage (translation workers); a trained one keeps its own copy,
// reordered again in place at every version.
class ParamLayouts {
 public:
  // `canonical` describes param.value as the primitives index it (e.g. ldigo with L = D = 1 for {I, G, H});
  // it must have param.value's element count and be plain f32.
  ParamLayouts(Parameter& param, const dnnl::memory::desc& canonical);

  // The value laid out as `desc`: the canonical storage itself when the layouts agree, else a copy made on
  // the first request for `desc` and re-made only after the parameter's version changed.
  const void* data(const dnnl::memory::desc& desc);
  // Reorders this object ran so far (for tests and logs): none for a copy another one shared.
  int64_t reorder_count() const { return reorder_count_; }

 private:
  struct Copy {
    dnnl::memory::desc desc;
    dnnl::memory memory;  // owns the copy's storage, reordered in place (a trained parameter)
    std::shared_ptr<const dnnl::memory> shared;  // the process's copy (a parameter without gradient)
    BoundPrimitive reorder;
    uint64_t version;
  };

  // The parameter's current value into `to`, laid out as copy.desc.
  void reorder_into(Copy& copy, const dnnl::memory& to);

  Parameter& param_;
  dnnl::memory::desc canonical_;
  std::vector<Copy> copies_;
  int64_t reorder_count_ = 0;
};

// Gradient buffers in primitive layouts whose content is added to the parameter's canonical `grad`.
class GradientSink {
 public:
  GradientSink(Parameter& param, const dnnl::memory::desc& canonical);

  // Where a primitive that accumulates a gradient laid out as `desc` adds it: the parameter's grad itself
  // when `desc` is the canonical layout, else a zero-filled buffer that add_to_grad() then adds to grad.
  void* accumulator(const dnnl::memory::desc& desc);
  // param.grad += the last accumulator() buffer, converted to the canonical layout (nothing to do when that
  // was grad itself).
  void add_to_grad();

 private:
  struct Buffer {
    dnnl::memory::desc desc;
    dnnl::memory memory;
    BoundPrimitive add;  // reorder with a sum post-op: grad = grad + buffer
  };

  Parameter& param_;
  dnnl::memory::desc canonical_;
  std::vector<Buffer> buffers_;
  Buffer* pending_ = nullptr;  // the buffer of the last accumulator()
  bool into_grad_ = false;     // the last accumulator() was grad itself
};

}  // namespace ferry
