// A fully connected layer y = act(x·W + b). The weight is stored {in, out}, so that x {rows, in} · W needs no
// transposed view in forward; row i of W holds the weights leaving input feature i. Its precision
// (core/precision.h) is what forward multiplies in; int8 weights serve forward only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/layers/int8_weight.h"
#include "core/layers/packed_weight.h"
#include "core/ops/bf16_copy.h"
#include "core/ops/matmul.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class Linear {
 public:
  enum class Activation { kNone, kTanh };

  // Registers "<scope>/weight" {in, out} (Glorot uniform) and, when with_bias, "<scope>/bias" {out} (zeros).
  Linear(ParamRegistry& params, const std::string& scope, int64_t in, int64_t out, bool with_bias = true,
         Activation activation = Activation::kNone, Precision precision = Precision::kF32);

  // x: {..., in}; y: resized to {..., out}, must not share storage with x.
  void forward(const Tensor& x, Tensor& y);
  // The same for a weight that stays the same from call to call (the search's): f32 and bf16 products run on
  // a copy of the weight packed once (PackedWeight), made at the first call.
  void infer(const Tensor& x, Tensor& y);
  // x, y: the forward's input {..., in} and output {..., out}; dy: dL/dy {..., out}, overwritten (with tanh,
  // by the gradient of the pre-activation). dx: dL/dx {..., in}, written (resized) or added to per dx_mode;
  // nullptr when not needed. dL/dW and dL/db are added to the parameters' gradients. Not at precision int8.
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx,
                WriteMode dx_mode = WriteMode::kOverwrite);

  int64_t in() const { return in_; }
  int64_t out() const { return out_; }
  Parameter& weight() { return *weight_; }
  // nullptr without bias.
  Parameter* bias() { return bias_; }

 private:
  int64_t in_;
  int64_t out_;
  Activation activation_;
  Parameter* weight_;
  Parameter* bias_ = nullptr;
  DType compute_;
  Bf16Copy x_bf16_, weight_bf16_, dy_bf16_;  // bf16 operands when compute_ is bf16
  std::unique_ptr<Int8Weight> int8_;        // precision int8 only
  std::unique_ptr<PackedWeight> packed_;    // infer()'s weight otherwise
  Tensor products_, row_scales_;            // its products {rows, out} and row scales {rows}
};

}  // namespace ferry
