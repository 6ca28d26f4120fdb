// A oneDNN primitive together with one memory object per execution argument, all created once: each call
// only points the arguments at its data (bind) and runs. Nothing is allocated or created per run.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

namespace ferry {

class BoundPrimitive {
 public:
  // Creates the primitive and a memory object for every argument in `args` that `pd` describes with a
  // non-empty memory descriptor; the others are left out (e.g. a workspace of an inference primitive). A
  // primitive made with Context::scratchpad_attr() gets the context's scratchpad at every run.
  BoundPrimitive(const dnnl::primitive_desc_base& pd, const std::vector<int>& args);

  const dnnl::primitive_desc_base& pd() const { return pd_; }
  // The layout the primitive expects for `arg` (a zero descriptor if the primitive has no such argument).
  dnnl::memory::desc desc(int arg) const;

  // Points argument `arg` at `data`, laid out as desc(arg). InternalError if the primitive has no such
  // argument. Inputs are passed as const data: the primitive does not write them.
  void bind(int arg, const void* data);
  // Executes on the context's stream and waits for completion.
  void run();

 private:
  int index_of(int arg) const;

  dnnl::primitive_desc_base pd_;
  dnnl::primitive primitive_;
  std::vector<int> arg_ids_;
  std::vector<dnnl::memory> memories_;
  std::vector<dnnl_exec_arg_t> exec_args_;  // handles into memories_, kept for the C execution call
  size_t scratchpad_bytes_ = 0;             // 0: the primitive needs none
};

}  // namespace ferry
