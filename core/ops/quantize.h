// Symmetric 8-bit quantization for int8 matrix products: a value x is stored as q = round(x / scale) in
// [-127, 127], so x ≈ q · scale. Activations get one scale per row (the row's largest magnitude / 127, taken
// afresh at every call, so no calibration is needed and a row's result never depends on the other rows);
// weights get one scale per output column.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ops/matmul.h"
#include "core/tensor.h"

namespace ferry {

// x: {R, C} f32; out: resized to {R, C} int8; scales: resized to {R}. An all-zero row gets scale 0 and
// zeros.
void quantize_rows(const Tensor& x, Tensor& out, Tensor& scales);

// w: a {K, N} f32 matrix (any strides, batch 1); out: resized to {K, N} int8, row-major; scales: resized to
// {N}, column n's largest magnitude / 127.
void quantize_columns(const MatrixView& w, Tensor& out, std::vector<float>& scales);

// The results of 8-bit products back in f32 (see Int8Weight::multiply): products {R, N}, row_scales {R},
// bias {N} or nullptr. y: resized to {R, N}, y = row_scale · product + bias, through tanh with `tanh`.
void dequantize_rows(const Tensor& products, const Tensor& row_scales, const float* bias, bool tanh, Tensor& y);
// The same followed by a log-softmax over each row, in place: the output layer's last pass.
void dequantize_log_softmax(Tensor& products, const Tensor& row_scales, const float* bias);

}  // namespace ferry
