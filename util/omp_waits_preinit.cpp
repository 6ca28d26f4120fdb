// Linked into every program (not into the libraries): OpenMP threads waiting at a barrier spin only briefly
// (1,000 rounds, a few microseconds) before they sleep, unless the user chose otherwise through
// OMP_WAIT_POLICY or GOMP_SPINCOUNT. With libgomp's default (300,000 rounds) a waiting thread burns the core
// its partner needs as soon as anything else runs on the machine, and every parallel region then waits for
// the scheduler: training fell 20x and translation 100x beside one busy process. Sleeping at once instead
// costs a wake-up through the kernel at every parallel region: 5-10% of quiet training speed and more for
// translation of single sentences. The brief spin keeps most of both (docs/performance.md).
//
// libgomp reads its environment once, while the process starts, and offers no call to change the policy
// later; and a variable set before that is lost again when libc sets up the environment from the original
// one. So the program starts itself again with GOMP_SPINCOUNT=1000 added: from the preinit array, which
// the dynamic linker runs before any library is initialised, at the cost of one more exec at start-up.
#include <unistd.h>

#include <cstring>
#include <vector>

namespace {

bool has_variable(char** envp, const char* prefix) {
  for (char** e = envp; *e != nullptr; ++e)
    if (std::strncmp(*e, prefix, std::strlen(prefix)) == 0) return true;
  return false;
}

void spin_briefly_at_openmp_barriers(int, char** argv, char** envp) {
  if (envp == nullptr || has_variable(envp, "OMP_WAIT_POLICY=") || has_variable(envp, "GOMP_SPINCOUNT=")) return;
  std::vector<char*> env;
  for (char** e = envp; *e != nullptr; ++e) env.push_back(*e);
  static char brief_spin[] = "GOMP_SPINCOUNT=1000";
  env.push_back(brief_spin);
  env.push_back(nullptr);
  execve("/proc/self/exe", argv, env.data());
  // Only on failure (no /proc): the program runs on with OpenMP's default policy.
}

__attribute__((section(".preinit_array"), used)) void (*const run_first)(int, char**, char**) =
    &spin_briefly_at_openmp_barriers;

}  // namespace
