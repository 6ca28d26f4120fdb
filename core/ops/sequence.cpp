#include "core/ops/sequence.h"

#include <cstring>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

void check_lengths(const Tensor& x, const std::vector<int>& lengths, const char* what) {
  FERRY_CHECK(x.rank() == 3 && static_cast<int64_t>(lengths.size()) == x.dim(1), InternalError,
              what << ": expected {T, N, C} with N = " << lengths.size() << ", got " << dims_text(x.dims()));
  for (int l : lengths) FERRY_CHECK(l >= 0 && l <= x.dim(0), InternalError, what << ": length " << l << " out of range");
}

}  // namespace

void reverse_within_lengths(const Tensor& in, const std::vector<int>& lengths, Tensor& out) {
  check_lengths(in, lengths, "reverse_within_lengths");
  check_dims(out, in.dims(), "reverse_within_lengths output");
  const int64_t T = in.dim(0), N = in.dim(1), C = in.dim(2);
  const float* src = in.data();
  float* dst = out.data();
#pragma omp parallel for collapse(2) schedule(static) if (T * N * C >= kParallelMinElements)
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t n = 0; n < N; ++n) {
      float* to = dst + (t * N + n) * C;
      const int64_t length = lengths[n];
      if (t < length) {
        std::memcpy(to, src + ((length - 1 - t) * N + n) * C, C * sizeof(float));
      } else {
        std::memset(to, 0, C * sizeof(float));
      }
    }
  }
}

void zero_after_lengths(Tensor& x, const std::vector<int>& lengths) {
  check_lengths(x, lengths, "zero_after_lengths");
  const int64_t T = x.dim(0), N = x.dim(1), C = x.dim(2);
  float* p = x.data();
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t t = lengths[n]; t < T; ++t) std::memset(p + (t * N + n) * C, 0, C * sizeof(float));
  }
}

void gather_rows(const Tensor& in, const std::vector<int>& rows, Tensor& out) {
  FERRY_CHECK(in.rank() >= 1 && out.rank() == in.rank() && out.dim(0) == static_cast<int64_t>(rows.size()) &&
                  out.numel() == (in.dim(0) ? in.numel() / in.dim(0) : 0) * out.dim(0),
              InternalError, "gather_rows: " << dims_text(in.dims()) << " -> " << dims_text(out.dims()));
  const int64_t row = in.dim(0) ? in.numel() / in.dim(0) : 0;
  const size_t bytes = row * dtype_size(in.dtype());
  const auto* src = static_cast<const char*>(in.raw());
  auto* dst = static_cast<char*>(out.raw());
  for (size_t i = 0; i < rows.size(); ++i) {
    FERRY_CHECK(rows[i] >= 0 && rows[i] < in.dim(0), InternalError, "gather_rows: row " << rows[i] << " out of range");
    std::memcpy(dst + i * bytes, src + rows[i] * bytes, bytes);
  }
}

void gather_columns(const Tensor& in, const std::vector<int>& columns, Tensor& out) {
  FERRY_CHECK(in.rank() == 3, InternalError, "gather_columns: expected {T, N, C}, got " << dims_text(in.dims()));
  const int64_t T = in.dim(0), N = in.dim(1), C = in.dim(2);
  const auto M = static_cast<int64_t>(columns.size());
  check_dims(out, {T, M, C}, "gather_columns output");
  for (int c : columns) FERRY_CHECK(c >= 0 && c < N, InternalError, "gather_columns: column " << c << " out of range");
  const float* src = in.data();
  float* dst = out.data();
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t i = 0; i < M; ++i) std::memcpy(dst + (t * M + i) * C, src + (t * N + columns[i]) * C, C * sizeof(float));
  }
}

void concat_channels(const Tensor& a, const Tensor& b, Tensor& out) {
  FERRY_CHECK(a.rank() == 3 && b.rank() == 3 && a.dim(0) == b.dim(0) && a.dim(1) == b.dim(1), InternalError,
              "concat_channels: " << dims_text(a.dims()) << " and " << dims_text(b.dims()));
  const int64_t rows = a.dim(0) * a.dim(1), ca = a.dim(2), cb = b.dim(2);
  check_dims(out, {a.dim(0), a.dim(1), ca + cb}, "concat_channels output");
  const float* pa = a.data();
  const float* pb = b.data();
  float* po = out.data();
#pragma omp parallel for schedule(static) if (rows * (ca + cb) >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    std::memcpy(po + r * (ca + cb), pa + r * ca, ca * sizeof(float));
    std::memcpy(po + r * (ca + cb) + ca, pb + r * cb, cb * sizeof(float));
  }
}

void split_channels(const Tensor& in, Tensor& a, Tensor& b, bool accumulate) {
  FERRY_CHECK(a.rank() == 3 && b.rank() == 3 && in.rank() == 3 && in.dim(2) == a.dim(2) + b.dim(2), InternalError,
              "split_channels: " << dims_text(in.dims()) << " into " << dims_text(a.dims()) << " and "
                                 << dims_text(b.dims()));
  const int64_t rows = in.dim(0) * in.dim(1), ca = a.dim(2), cb = b.dim(2);
  const float* pi = in.data();
  float* pa = a.data();
  float* pb = b.data();
#pragma omp parallel for schedule(static) if (rows * (ca + cb) >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float* from = pi + r * (ca + cb);
    if (accumulate) {
      for (int64_t c = 0; c < ca; ++c) pa[r * ca + c] += from[c];
      for (int64_t c = 0; c < cb; ++c) pb[r * cb + c] += from[ca + c];
    } else {
      std::memcpy(pa + r * ca, from, ca * sizeof(float));
      std::memcpy(pb + r * cb, from + ca, cb * sizeof(float));
    }
  }
}

}  // namespace ferry
