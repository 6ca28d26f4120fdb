#include "core/param_layouts.h"

#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "core/context.h"
#include "core/shared_copies.h"
#include "util/error.h"

namespace ferry {
namespace {

void check_canonical(const Parameter& param, const dnnl::memory::desc& canonical) {
  FERRY_CHECK(canonical.data_type() == dnnl::memory::data_type::f32 &&
                  canonical.get_size() == param.value.bytes() && param.value.dtype() == DType::kF32,
              InternalError, "canonical layout of '" << param.name << "' does not describe its f32 value");
}

BoundPrimitive make_reorder(const dnnl::memory::desc& from, const dnnl::memory::desc& to,
                            const dnnl::primitive_attr& attr = Context::scratchpad_attr()) {
  dnnl::engine& engine = Context::get().engine();
  return BoundPrimitive(dnnl::reorder::primitive_desc(engine, from, engine, to, attr),
                        {DNNL_ARG_FROM, DNNL_ARG_TO});
}

dnnl::primitive_attr sum_into_destination() {
  dnnl::post_ops ops;
  ops.append_sum(1.0f);
  dnnl::primitive_attr attr = Context::scratchpad_attr();
  attr.set_post_ops(ops);
  return attr;
}

// A copy laid out by a desc: the parameter's storage, version and the desc's bytes.
using LayoutKey = std::tuple<const void*, uint64_t, std::string>;

SharedCopies<LayoutKey, const dnnl::memory>& shared_layouts() {
  static SharedCopies<LayoutKey, const dnnl::memory> copies;
  return copies;
}

}  // namespace

ParamLayouts::ParamLayouts(Parameter& param, const dnnl::memory::desc& canonical)
    : param_(param), canonical_(canonical) {
  check_canonical(param, canonical);
}

const void* ParamLayouts::data(const dnnl::memory::desc& desc) {
  if (desc == canonical_) return param_.value.raw();
  Copy* copy = nullptr;
  for (Copy& c : copies_) {
    if (c.desc == desc) copy = &c;
  }
  if (copy == nullptr) {
    copies_.push_back({desc, dnnl::memory(), nullptr, make_reorder(canonical_, desc),
                       std::numeric_limits<uint64_t>::max()});
    copy = &copies_.back();
  }
  if (copy->version != param_.version) {
    if (param_.grad.empty()) {
      const auto* bytes = reinterpret_cast<const char*>(&desc.data);
      const LayoutKey key{param_.value.raw(), param_.version, std::string(bytes, sizeof desc.data)};
      copy->shared = shared_layouts().get(key, [&] {
        auto made = std::make_shared<dnnl::memory>(desc, Context::get().engine());
        reorder_into(*copy, *made);
        return std::shared_ptr<const dnnl::memory>(std::move(made));
      });
    } else {
      if (!copy->memory) copy->memory = dnnl::memory(desc, Context::get().engine());
      reorder_into(*copy, copy->memory);
    }
    copy->version = param_.version;
  }
  return copy->shared ? copy->shared->get_data_handle() : copy->memory.get_data_handle();
}

void ParamLayouts::reorder_into(Copy& copy, const dnnl::memory& to) {
  copy.reorder.bind(DNNL_ARG_FROM, param_.value.raw());
  copy.reorder.bind(DNNL_ARG_TO, to.get_data_handle());
  copy.reorder.run();
  ++reorder_count_;
}

GradientSink::GradientSink(Parameter& param, const dnnl::memory::desc& canonical)
    : param_(param), canonical_(canonical) {
  check_canonical(param, canonical);
}

void* GradientSink::accumulator(const dnnl::memory::desc& desc) {
  pending_ = nullptr;
  // In the canonical layout the primitive adds straight into grad: no buffer, no second pass.
  into_grad_ = desc == canonical_;
  if (into_grad_) return param_.grad.raw();
  for (Buffer& b : buffers_) {
    if (b.desc == desc) pending_ = &b;
  }
  if (pending_ == nullptr) {
    buffers_.push_back({desc, dnnl::memory(desc, Context::get().engine()),
                        make_reorder(desc, canonical_, sum_into_destination())});
    pending_ = &buffers_.back();
  }
  void* data = pending_->memory.get_data_handle();
  std::memset(data, 0, desc.get_size());
  return data;
}

void GradientSink::add_to_grad() {
  if (into_grad_) {
    into_grad_ = false;
    return;
  }
  FERRY_CHECK(pending_ != nullptr, InternalError, "no gradient buffer of '" << param_.name << "' to add");
  pending_->add.bind(DNNL_ARG_FROM, pending_->memory.get_data_handle());
  pending_->add.bind(DNNL_ARG_TO, param_.grad.raw());
  pending_->add.run();
  pending_ = nullptr;
}

}  // namespace ferry
