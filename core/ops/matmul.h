// Matrix products through cached oneDNN matmul primitives: c = a·b or c += a·b, for single matrices and for
// batches, with every operand described by strides so that transposes and time-major slices need no copies.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace ferry {

// A batch of matrices inside some storage: element (i, r, c) is at data[i·batch_stride + r·row_stride +
// c·col_stride], counted in elements of `dtype`. A single matrix has batch 1. Views share the storage of the
// tensor they were made from, like Tensor handles do; matmul only writes its output view.
struct MatrixView {
  void* data = nullptr;
  DType dtype = DType::kF32;
  int64_t batch = 1;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t batch_stride = 0;
  int64_t row_stride = 0;
  int64_t col_stride = 1;

  // The same elements read as the transposed matrices (rows and columns swapped); nothing moves.
  MatrixView transposed() const;
};

// t: {rows, cols} as one matrix, or {batch, rows, cols} as a batch.
MatrixView matrix(const Tensor& t);
// t: {..., cols} as one matrix {numel / cols, cols} (leading dims flattened).
MatrixView flat_matrix(const Tensor& t);
// t: time-major {T, N, C} as N matrices {T, C}, one per batch entry (strides {C, N·C, 1}).
MatrixView sequence_matrices(const Tensor& t);

enum class WriteMode { kOverwrite, kAccumulate };

// c = a·b (kOverwrite) or c += a·b (kAccumulate), matrix by matrix over the batch, plus `bias` ({N} f32
// values added to every row of c, or nullptr) in the same pass. a and b are both f32 or both bf16 (bf16
// products run on the CPU's bf16 instructions); c is f32.
// a: batch × {M, K}, b: batch × {K, N}, c: batch × {M, N}; equal batches. a and b need a contiguous row or
// column (row_stride or col_stride 1); c needs col_stride 1 (oneDNN writes only such outputs) and must not
// overlap a or b.
void matmul(const MatrixView& a, const MatrixView& b, const MatrixView& c, WriteMode mode = WriteMode::kOverwrite,
            const float* bias = nullptr);

}  // namespace ferry
