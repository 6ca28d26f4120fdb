// The process's one oneDNN engine and stream, and its thread count.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace ferry {

class Context {
 public:
  // The shared context (created on first use).
  static Context& get();

  dnnl::engine& engine() { return engine_; }
  dnnl::stream& stream() { return stream_; }

  // Sets the OpenMP thread count used by oneDNN and our own loops; 0 = every core. Call before creating
  // primitives: packed weights and some kernels depend on it.
  static void set_threads(int threads);
  static int threads();

 private:
  Context();
  dnnl::engine engine_;
  dnnl::stream stream_;
};

}  // namespace ferry
