// Linked into every program (not into the libraries): two settings of the process that only its environment
// at start-up can make, each added unless the user set the variable:
// - OpenMP threads waiting at a barrier spin only briefly (GOMP_SPINCOUNT=1000, a few microseconds) before
//   they sleep, unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set. With libgomp's default (300,000 rounds) a
//   waiting thread burns the core its partner needs as soon as anything else runs on the machine, and every
//   parallel region then waits for the scheduler: training fell 20x and translation 100x beside one busy
//   process. Sleeping at once instead costs a wake-up through the kernel at every parallel region: 5-10% of
//   quiet training speed and more for translation of single sentences. The brief spin keeps most of both.
// - malloc's heap is grown in steps of 64 MiB and given transparent huge pages (GLIBC_TUNABLES, value from
//   CMakeLists.txt), unless GLIBC_TUNABLES is set. Where a virtual machine makes each page fault cost
//   10-15 us, the first touches of 4 KiB pages took 8% of an int8 translation.
// (docs/performance.md, "On a shared machine" and "Memory".)
//
// libgomp and glibc's malloc read their environment once, while the process starts, and offer no call to
// change these later; and a variable set before that is lost again when libc sets up the environment from
// the original one. So the program starts itself again with the variables added: from the preinit array,
// which the dynamic linker runs before any library is initialised, at the cost of one more exec at start-up.
#include <unistd.h>

#include <cstring>
#include <vector>

namespace {

bool has_variable(char** envp, const char* prefix) {
  for (char** e = envp; *e != nullptr; ++e)
    if (std::strncmp(*e, prefix, std::strlen(prefix)) == 0) return true;
  return false;
}

void start_with_settings(int, char** argv, char** envp) {
  if (envp == nullptr) return;
  std::vector<char*> env;
  for (char** e = envp; *e != nullptr; ++e) env.push_back(*e);
  const size_t inherited = env.size();
  static char brief_spin[] = "GOMP_SPINCOUNT=1000";
  if (!has_variable(envp, "OMP_WAIT_POLICY=") && !has_variable(envp, "GOMP_SPINCOUNT=")) env.push_back(brief_spin);
  static char malloc_huge_pages[] = "GLIBC_TUNABLES=" FERRY_MALLOC_TUNABLES;
  if (!has_variable(envp, "GLIBC_TUNABLES=")) env.push_back(malloc_huge_pages);
  if (env.size() == inherited) return;
  env.push_back(nullptr);
  execve("/proc/self/exe", argv, env.data());
  // Only on failure (no /proc): the program runs on with the defaults of libgomp and malloc.
}

__attribute__((section(".preinit_array"), used)) void (*const run_first)(int, char**, char**) = &start_with_settings;

}  // namespace
