#include "core/layers/rnn_kernel.h"

#include <atomic>
#include <cstdlib>

#include "util/error.h"

namespace ferry {
namespace {

// -1: not chosen yet.
std::atomic<int> chosen{-1};

}  // namespace

const char* rnn_training_kernel_name(RnnTrainingKernel kernel) {
  return kernel == RnnTrainingKernel::kMatmul ? "matmul" : "primitive";
}

RnnTrainingKernel parse_rnn_training_kernel(const std::string& name) {
  if (name == "primitive") return RnnTrainingKernel::kPrimitive;
  if (name == "matmul") return RnnTrainingKernel::kMatmul;
  throw InputError("FERRY_RNN_KERNEL: unknown RNN training kernel '" + name +
                   "' (choose primitive or matmul)");
}

RnnTrainingKernel rnn_training_kernel() {
  int kernel = chosen.load();
  if (kernel < 0) {
    const char* setting = std::getenv("FERRY_RNN_KERNEL");
    kernel = static_cast<int>(setting != nullptr && *setting != '\0' ? parse_rnn_training_kernel(setting)
                                                                     : RnnTrainingKernel::kMatmul);
    chosen.store(kernel);
  }
  return static_cast<RnnTrainingKernel>(kernel);
}

void set_rnn_training_kernel(RnnTrainingKernel kernel) { chosen.store(static_cast<int>(kernel)); }

}  // namespace ferry
