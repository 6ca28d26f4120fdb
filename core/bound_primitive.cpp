#include "core/bound_primitive.h"

#include "core/context.h"
#include "util/error.h"

namespace ferry {

BoundPrimitive::BoundPrimitive(const dnnl::primitive_desc_base& pd, const std::vector<int>& args)
    : pd_(pd), primitive_(pd.get()) {
  dnnl::engine& engine = Context::get().engine();
  for (int arg : args) {
    const dnnl::memory::desc md = pd_.query_md(dnnl::query::exec_arg_md, arg);
    if (md.get_size() == 0) continue;
    arg_ids_.push_back(arg);
    memories_.emplace_back(md, engine, nullptr);  // data bound per call
  }
  const dnnl::memory::desc scratchpad = pd_.scratchpad_desc();
  scratchpad_bytes_ = scratchpad.get_size();
  if (scratchpad_bytes_ > 0 && index_of(DNNL_ARG_SCRATCHPAD) < 0) {
    arg_ids_.push_back(DNNL_ARG_SCRATCHPAD);
    memories_.emplace_back(scratchpad, engine, nullptr);
  }
  for (size_t i = 0; i < memories_.size(); ++i) exec_args_.push_back({arg_ids_[i], memories_[i].get()});
}

int BoundPrimitive::index_of(int arg) const {
  for (size_t i = 0; i < arg_ids_.size(); ++i) {
    if (arg_ids_[i] == arg) return static_cast<int>(i);
  }
  return -1;
}

dnnl::memory::desc BoundPrimitive::desc(int arg) const {
  const int i = index_of(arg);
  return i < 0 ? dnnl::memory::desc() : memories_[i].get_desc();
}

void BoundPrimitive::bind(int arg, const void* data) {
  const int i = index_of(arg);
  FERRY_CHECK(i >= 0, InternalError, "primitive " << pd_.impl_info_str() << " has no argument " << arg);
  memories_[i].set_data_handle(const_cast<void*>(data));  // oneDNN handles are non-const for inputs too
}

void BoundPrimitive::run() {
  // The C call takes the stored argument array; the C++ execute() would build an argument vector per call.
  if (scratchpad_bytes_ > 0) bind(DNNL_ARG_SCRATCHPAD, Context::get().scratchpad(scratchpad_bytes_));
  dnnl::stream& stream = Context::get().stream();
  dnnl::error::wrap_c_api(dnnl_primitive_execute(primitive_.get(), stream.get(),
                                                 static_cast<int>(exec_args_.size()), exec_args_.data()),
                          "could not execute a primitive");
  stream.wait();
}

}  // namespace ferry
