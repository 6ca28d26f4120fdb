// Precision: what a layer's weights are held and multiplied in. It is a property of each layer, chosen by
// the model that builds it:
//   kF32   f32 weights and products.
//   kBf16  products in bf16 (operands converted; parameters, gradients, biases and results stay f32).
//   kInt8  weights quantized to 8 bits per output column and rows to 8 bits per row at every product, on the
//          CPU's integer dot-product instructions; inference only (the products have no backward pass).
#pragma once

#include <string>

#include "core/tensor.h"

namespace ferry {

enum class Precision { kF32, kBf16, kInt8 };

const char* precision_name(Precision precision);  // "f32", "bf16", "int8"
// InputError listing the choices for a name that is none of them.
Precision parse_precision(const std::string& name);

// The precision of the layers that have no 8-bit form (RNN training passes, attention scores) or are not
// worth one, in a model run at `precision`: int8 becomes bf16 where the CPU has bf16 dot products, else f32.
Precision float_precision(Precision precision);
// The element type the floating-point products of a layer at `precision` compute in (float_precision's).
DType compute_type(Precision precision);

}  // namespace ferry
