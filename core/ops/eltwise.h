// Element-wise ops on f32 tensors, in place: bias add and its gradient, tanh and sigmoid with backward passes
// that need only the forward output.
#pragma once

#include "core/tensor.h"

namespace ferry {

// y: {..., n}, bias: {n}: adds bias to every row of y.
void add_bias(Tensor& y, const Tensor& bias);
// dy: {..., n}, bias_grad: {n}: adds the column sums of dy (the bias gradient) to bias_grad.
void accumulate_bias_grad(const Tensor& dy, Tensor& bias_grad);

// x: any dims; x = tanh(x).
void tanh_forward(Tensor& x);
// y: the forward output tanh(x); grad: dims of y, holds dL/dy and is turned into dL/dx = dL/dy · (1 - y²).
void tanh_backward(const Tensor& y, Tensor& grad);

// x: any dims; x = 1 / (1 + exp(-x)).
void sigmoid_forward(Tensor& x);
// y: the forward output sigmoid(x); grad: dims of y, dL/dy turned into dL/dx = dL/dy · y · (1 - y).
void sigmoid_backward(const Tensor& y, Tensor& grad);

}  // namespace ferry
