// Runs the enclosing scope with one RNN training kernel and restores the process's choice after it.
#pragma once

#include "core/layers/rnn_kernel.h"

namespace ferry {

class ScopedRnnKernel {
 public:
  explicit ScopedRnnKernel(RnnTrainingKernel kernel) : saved_(rnn_training_kernel()) {
    set_rnn_training_kernel(kernel);
  }
  ~ScopedRnnKernel() { set_rnn_training_kernel(saved_); }
  ScopedRnnKernel(const ScopedRnnKernel&) = delete;
  ScopedRnnKernel& operator=(const ScopedRnnKernel&) = delete;

 private:
  RnnTrainingKernel saved_;
};

}  // namespace ferry
