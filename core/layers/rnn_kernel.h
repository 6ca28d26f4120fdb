// Which code runs the whole-sequence training passes of f32 and bf16 LSTM layers: oneDNN's RNN primitive, or
// MatmulLstm (oneDNN matmul primitives and gate arithmetic of our own). One choice for the process.
//
// The default is matmul: as fast as the primitive on the CPUs measured (docs/performance.md), and it keeps a
// third less for the backward pass, since oneDNN's RNN training workspace holds more than the gates and
// states. Other cells, step-wise training and inference always use the primitive.
#pragma once

#include <string>

namespace ferry {

enum class RnnTrainingKernel { kPrimitive, kMatmul };

const char* rnn_training_kernel_name(RnnTrainingKernel kernel);  // "primitive", "matmul"
// InputError naming the environment variable and the choices for any other name.
RnnTrainingKernel parse_rnn_training_kernel(const std::string& name);

// The process's choice: set_rnn_training_kernel()'s, else FERRY_RNN_KERNEL's (primitive or matmul) when that
// is set, else matmul.
RnnTrainingKernel rnn_training_kernel();
void set_rnn_training_kernel(RnnTrainingKernel kernel);

}  // namespace ferry
