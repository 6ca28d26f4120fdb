#include "core/ops/softmax.h"

#include <algorithm>
#include <cmath>

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

enum class Output { kProbabilities, kLogProbabilities };

// Rows of a {A, B, S} tensor and the valid length of each.
class MaskedRows {
 public:
  MaskedRows(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis)
      : lengths_(lengths), length_axis_(length_axis) {
    FERRY_CHECK(x.rank() == 3, InternalError, "masked softmax needs {A, B, S}, got " << dims_text(x.dims()));
    FERRY_CHECK(length_axis == 0 || length_axis == 1, InternalError, "length axis must be 0 or 1");
    FERRY_CHECK(static_cast<int64_t>(lengths.size()) == x.dim(length_axis), InternalError,
                "masked softmax: " << lengths.size() << " lengths for axis " << length_axis << " of "
                                   << dims_text(x.dims()));
    size_ = x.dim(2);
    inner_ = x.dim(1);
    count_ = x.dim(0) * inner_;
    for (int64_t length : lengths) {
      FERRY_CHECK(length >= 0 && length <= size_, InternalError,
                  "masked softmax: length " << length << " outside [0, " << size_ << "]");
    }
  }

  int64_t count() const { return count_; }
  int64_t size() const { return size_; }  // S
  int64_t length(int64_t row) const { return lengths_[length_axis_ == 0 ? row / inner_ : row % inner_]; }
  bool parallel() const { return count_ * size_ >= kParallelMinElements; }

 private:
  const std::vector<int64_t>& lengths_;
  int length_axis_;
  int64_t size_ = 0;
  int64_t inner_ = 0;
  int64_t count_ = 0;
};

float max_of(const float* in, int64_t length) {
  float max = in[0];
#pragma omp simd reduction(max : max)
  for (int64_t j = 0; j < length; ++j) max = in[j] > max ? in[j] : max;  // std::fmax is a libm call
  return max;
}

void forward(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis, Tensor& y,
             Output output) {
  const MaskedRows rows(x, lengths, length_axis);
  y.resize(x.dims());
  const int64_t size = rows.size();
#pragma omp parallel for schedule(static) if (rows.parallel())
  for (int64_t r = 0; r < rows.count(); ++r) {
    const float* in = x.data() + r * size;
    float* out = y.data() + r * size;
    const int64_t length = rows.length(r);
    if (output == Output::kProbabilities) {
      softmax_row(in, length, size, out);
      continue;
    }
    if (length > 0) {
      const float max = max_of(in, length);
      const float log_norm = max + static_cast<float>(std::log(sum_exp(in, length, max)));
#pragma omp simd
      for (int64_t j = 0; j < length; ++j) out[j] = in[j] - log_norm;
    }
    std::fill(out + length, out + size, 0.0f);
  }
}

void backward(const Tensor& y, const Tensor& dy, const std::vector<int64_t>& lengths, int length_axis,
              Tensor& dx, Output output) {
  const MaskedRows rows(y, lengths, length_axis);
  check_dims(dy, y.dims(), "masked softmax output gradient");
  dx.resize(y.dims());
  const int64_t size = rows.size();
#pragma omp parallel for schedule(static) if (rows.parallel())
  for (int64_t r = 0; r < rows.count(); ++r) {
    const float* out = y.data() + r * size;
    const float* grad_out = dy.data() + r * size;
    float* grad_in = dx.data() + r * size;
    const int64_t length = rows.length(r);
    double dot = 0;
    if (output == Output::kProbabilities) {
      // dx_j = y_j (dy_j - sum_k y_k dy_k)
      for (int64_t j = 0; j < length; ++j) dot += static_cast<double>(out[j]) * grad_out[j];
      for (int64_t j = 0; j < length; ++j) grad_in[j] = out[j] * (grad_out[j] - static_cast<float>(dot));
    } else {
      // dx_j = dy_j - exp(y_j) sum_k dy_k
      for (int64_t j = 0; j < length; ++j) dot += grad_out[j];
      const float total = static_cast<float>(dot);
#pragma omp simd
      for (int64_t j = 0; j < length; ++j) grad_in[j] = grad_out[j] - fast_exp(out[j]) * total;
    }
    std::fill(grad_in + length, grad_in + size, 0.0f);
  }
}

}  // namespace

void softmax_row(const float* in, int64_t length, int64_t size, float* out) {
  if (length > 0) {
    const float max = max_of(in, length);
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < length; ++j) {
      out[j] = fast_exp(in[j] - max);
      sum += out[j];
    }
    const float inverse = static_cast<float>(1.0 / sum);
#pragma omp simd
    for (int64_t j = 0; j < length; ++j) out[j] *= inverse;
  }
  std::fill(out + length, out + size, 0.0f);
}

void masked_softmax(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis, Tensor& y) {
  forward(x, lengths, length_axis, y, Output::kProbabilities);
}

void masked_softmax_backward(const Tensor& y, const Tensor& dy, const std::vector<int64_t>& lengths,
                             int length_axis, Tensor& dx) {
  backward(y, dy, lengths, length_axis, dx, Output::kProbabilities);
}

void masked_log_softmax(const Tensor& x, const std::vector<int64_t>& lengths, int length_axis, Tensor& y) {
  forward(x, lengths, length_axis, y, Output::kLogProbabilities);
}

void masked_log_softmax_backward(const Tensor& y, const Tensor& dy, const std::vector<int64_t>& lengths,
                                 int length_axis, Tensor& dx) {
  backward(y, dy, lengths, length_axis, dx, Output::kLogProbabilities);
}

}  // namespace ferry
