#include "core/context.h"

#include <omp.h>

#include <cstdlib>
#include <memory>
#include <new>

#include "util/error.h"

namespace ferry {
namespace {

// oneDNN's ISA values are nested bit sets: an ISA carries the bits of every ISA it includes.
bool cpu_has(dnnl::cpu_isa wanted) {
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  return (isa & static_cast<unsigned>(wanted)) == static_cast<unsigned>(wanted);
}

}  // namespace

namespace {

// One thread's scratch memory.
struct Scratchpad {
  std::unique_ptr<char, void (*)(void*)> memory{nullptr, std::free};
  size_t bytes = 0;
};

}  // namespace

Context::Context() : engine_(dnnl::engine::kind::cpu, 0) {}

dnnl::stream& Context::stream() {
  thread_local dnnl::stream stream(engine_);
  return stream;
}

void* Context::scratchpad(size_t bytes) {
  thread_local Scratchpad scratchpad;
  if (bytes > scratchpad.bytes) {
    const size_t rounded = (bytes + 4095) / 4096 * 4096;
    void* memory = std::aligned_alloc(4096, rounded);
    if (memory == nullptr) throw std::bad_alloc();
    scratchpad.memory.reset(static_cast<char*>(memory));
    scratchpad.bytes = rounded;
  }
  return scratchpad.memory.get();
}

dnnl::primitive_attr Context::scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

Context& Context::get() {
  static Context instance;
  return instance;
}

void Context::set_threads(int threads) {
  FERRY_CHECK(threads >= 0 && threads <= kMaxThreads, InternalError, threads << " threads asked for");
  omp_set_num_threads(threads > 0 ? threads : omp_get_num_procs());
}

int Context::threads() { return omp_get_max_threads(); }

bool Context::has_int8_dot_products() {
  return cpu_has(dnnl::cpu_isa::avx512_core_vnni) || cpu_has(dnnl::cpu_isa::avx2_vnni);
}

void Context::require_int8_dot_products() {
  FERRY_CHECK(has_int8_dot_products(), InputError,
              "precision int8 needs a CPU with 8-bit dot-product instructions (AVX512-VNNI or AVX-VNNI); use "
              "f32 or bf16 on this one");
}

bool Context::has_bf16_dot_products() { return cpu_has(dnnl::cpu_isa::avx512_core_bf16); }

}  // namespace ferry
