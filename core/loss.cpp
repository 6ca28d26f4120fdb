#include "core/loss.h"

#include <algorithm>
#include <cmath>

#include "core/ops/fast_math.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

struct Smoothing {
  double target_weight;  // 1 - eps: extra mass of q on the target
  double uniform;        // eps / V: mass of q on every entry
};

// The loss of one row, numerically stable by subtracting the row's maximum. With `grad` (which may be the row
// itself) it also writes scale · (softmax - q) there.
double row_loss(const float* row, int64_t size, int32_t target, const Smoothing& smoothing, float* grad,
                float scale) {
  float max = row[0];
#pragma omp simd reduction(max : max)
  for (int64_t j = 0; j < size; ++j) max = row[j] > max ? row[j] : max;  // std::fmax is a libm call
  const float target_logit = row[target];
  double sum_exp = 0, sum_logits = 0;
  if (grad != nullptr) {  // grad may be row itself: each element is read before it is overwritten
#pragma omp simd reduction(+ : sum_exp, sum_logits)
    for (int64_t j = 0; j < size; ++j) {
      const float e = fast_exp(row[j] - max);
      sum_logits += row[j];
      sum_exp += e;
      grad[j] = e;
    }
  } else {
#pragma omp simd reduction(+ : sum_exp, sum_logits)
    for (int64_t j = 0; j < size; ++j) {
      sum_logits += row[j];
      sum_exp += fast_exp(row[j] - max);
    }
  }
  const double log_norm = max + std::log(sum_exp);
  // -sum_j q_j log p_j with log p_j = x_j - log_norm
  const double loss = -smoothing.target_weight * (target_logit - log_norm) -
                      smoothing.uniform * (sum_logits - static_cast<double>(size) * log_norm);
  if (grad != nullptr) {
    const float to_probability = static_cast<float>(1.0 / sum_exp);
    const float uniform = static_cast<float>(smoothing.uniform);
#pragma omp simd
    for (int64_t j = 0; j < size; ++j) grad[j] = scale * (grad[j] * to_probability - uniform);
    grad[target] -= scale * static_cast<float>(smoothing.target_weight);
  }
  return loss;
}

LossSum compute(const Tensor& logits, const std::vector<int32_t>& targets, int32_t pad_id,
                float label_smoothing, Tensor* grad, float grad_scale) {
  FERRY_CHECK(logits.rank() == 2, InternalError,
              "loss logits must be {rows, V}, got " << dims_text(logits.dims()));
  const int64_t rows = logits.dim(0), size = logits.dim(1);
  FERRY_CHECK(static_cast<int64_t>(targets.size()) == rows, InternalError,
              "loss: " << targets.size() << " targets for " << rows << " rows");
  FERRY_CHECK(label_smoothing >= 0.0f && label_smoothing < 1.0f, InternalError,
              "label smoothing " << label_smoothing << " outside [0, 1)");
  LossSum result;
  for (int32_t target : targets) {
    if (target == pad_id) continue;
    FERRY_CHECK(target >= 0 && target < size, InternalError,
                "target " << target << " outside [0, " << size << ")");
    ++result.tokens;
  }
  const Smoothing smoothing{1.0 - label_smoothing,
                            static_cast<double>(label_smoothing) / static_cast<double>(size)};
  const float* in = logits.data();
  float* out = grad != nullptr ? grad->data() : nullptr;
  result.loss = deterministic_sum(rows, size, [&](int64_t r) {
    float* row_grad = out != nullptr ? out + r * size : nullptr;
    if (targets[r] == pad_id) {
      if (row_grad != nullptr) std::fill(row_grad, row_grad + size, 0.0f);
      return 0.0;
    }
    return row_loss(in + r * size, size, targets[r], smoothing, row_grad, grad_scale);
  });
  return result;
}

}  // namespace

LossSum cross_entropy(const Tensor& logits, const std::vector<int32_t>& targets, int32_t pad_id,
                      float label_smoothing) {
  return compute(logits, targets, pad_id, label_smoothing, nullptr, 0.0f);
}

LossSum cross_entropy_with_grad(Tensor& logits, const std::vector<int32_t>& targets, int32_t pad_id,
                                float label_smoothing, float grad_scale) {
  return compute(logits, targets, pad_id, label_smoothing, &logits, grad_scale);
}

}  // namespace ferry
