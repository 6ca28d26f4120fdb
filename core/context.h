// The process's one oneDNN engine, each thread's stream and scratch memory, and the calling thread's OpenMP
// thread count. Threads that run primitives at the same time each use their own primitives (a BoundPrimitive
// holds its arguments).
#pragma once

#include <cstddef>
#include <oneapi/dnnl/dnnl.hpp>

namespace ferry {

class Context {
 public:
  // The shared context (created on first use).
  static Context& get();

  dnnl::engine& engine() { return engine_; }
  // The calling thread's stream.
  dnnl::stream& stream();

  // The calling thread's scratch memory, for one primitive execution at a time, at least `bytes` long (grown
  // as needed; its address may change between calls). Every primitive takes its scratchpad from here (see
  // scratchpad_attr), so primitives kept for many shapes do not each hold one.
  void* scratchpad(size_t bytes);
  // An attribute that leaves a primitive's scratchpad to the caller: the base of every primitive's attribute.
  static dnnl::primitive_attr scratchpad_attr();

  // Sets the calling thread's OpenMP thread count, used by oneDNN and our own loops; 0 = every core, at most
  // kMaxThreads (InternalError past it: callers check what users give). Call before creating primitives:
  // packed weights and some kernels depend on it.
  static void set_threads(int threads);
  // The most threads a program accepts (OpenMP fails to start far more).
  static constexpr int kMaxThreads = 1024;
  static int threads();

  // Whether the CPU has 8-bit integer dot-product instructions (AVX512-VNNI or AVX-VNNI), without which
  // oneDNN's int8 products may saturate 16-bit partial sums.
  static bool has_int8_dot_products();
  // InputError naming what is missing and what to use instead, on a CPU without them.
  static void require_int8_dot_products();
  // Whether the CPU has bf16 dot-product instructions (AVX512-BF16).
  static bool has_bf16_dot_products();

 private:
  Context();
  dnnl::engine engine_;
};

}  // namespace ferry
