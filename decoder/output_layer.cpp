#include "decoder/output_layer.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/ops/eltwise.h"
#include "core/ops/matmul.h"
#include "core/ops/quantize.h"
#include "core/ops/sequence.h"
#include "core/ops/softmax.h"
#include "core/parallel.h"
#include "util/error.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

// The first token of the largest finite score(v) over the vocabulary, pad and <s> left out; -1 when no
// score is finite. NaN never counts. Blocks of 64 tokens are checked at once against the best so far; only a
// block that holds a larger score is gone through again for its first such token.
template <typename Score>
int first_best(int64_t vocab, Score score) {
  constexpr int64_t kBlock = 64;
  float best_score = -std::numeric_limits<float>::infinity();
  int best = -1;
  const auto offer = [&](int64_t v) {
    const float value = score(v);
    if (value > best_score) best_score = value, best = static_cast<int>(v);
  };
  const int64_t specials_end = std::min<int64_t>(vocab, std::max(kPadId, kBosId) + 1);
  for (int64_t v = 0; v < specials_end; ++v)
    if (v != kPadId && v != kBosId) offer(v);
  int64_t v = specials_end;
  for (; v + kBlock <= vocab; v += kBlock) {
    float block_max = best_score;
#pragma omp simd reduction(max : block_max)
    for (int64_t i = v; i < v + kBlock; ++i) {
      const float value = score(i);
      block_max = value > block_max ? value : block_max;
    }
    if (block_max > best_score)
      for (int64_t i = v; i < v + kBlock; ++i) offer(i);
  }
  for (; v < vocab; ++v) offer(v);
  return best;
}

}  // namespace

OutputLayer::OutputLayer(ParamRegistry& params, int64_t hidden, int64_t vocab, Embedding* tied_embedding,
                         Precision precision)
    : hidden_(hidden), vocab_(vocab), tied_(tied_embedding), compute_(compute_type(precision)) {
  if (tied_) {
    FERRY_CHECK(tied_->dim() == hidden && tied_->vocab() == vocab, InternalError,
                "tied output needs an embedding table of " << vocab << " x " << hidden);
  } else {
    weight_ = &params.add("output/weight", {hidden, vocab}, Init::glorot(hidden, vocab));
  }
  bias_ = &params.add("output/bias", {vocab}, Init::zeros());
  if (precision == Precision::kInt8)
    int8_ = tied_ ? std::make_unique<Int8Weight>(tied_->table(), true) : std::make_unique<Int8Weight>(*weight_);
}

const Tensor& OutputLayer::weight_operand() {
  const Parameter& weight = tied_ ? tied_->table() : *weight_;
  return compute_ == DType::kBF16 ? weight_bf16_.of(weight) : weight.value;
}

void OutputLayer::project(const Tensor& rows, Tensor& logits) {
  logits.resize({rows.dim(0), vocab_});
  if (int8_) {
    int8_->multiply(rows, logits, row_scales_);
    dequantize_rows(logits, row_scales_, bias_->value.data(), false, logits);
    return;
  }
  const MatrixView w = tied_ ? matrix(weight_operand()).transposed() : matrix(weight_operand());
  const Tensor& x = compute_ == DType::kBF16 ? rows_bf16_.of(rows) : rows;
  matmul(matrix(x), w, matrix(logits), WriteMode::kOverwrite, bias_->value.data());
}

LossSum OutputLayer::forward(const Tensor& attentional, const std::vector<int>& targets, float label_smoothing,
                             float grad_scale, bool keep_gradient) {
  FERRY_CHECK(attentional.numel() == static_cast<int64_t>(targets.size()) * hidden_, InternalError,
              "output layer: " << dims_text(attentional.dims()) << " for " << targets.size() << " targets");
  input_dims_ = attentional.dims();
  kept_rows_.clear();
  kept_targets_.clear();
  for (size_t r = 0; r < targets.size(); ++r) {
    if (targets[r] == kPadId) continue;
    kept_rows_.push_back(static_cast<int>(r));
    kept_targets_.push_back(targets[r]);
  }
  const auto kept = static_cast<int64_t>(kept_rows_.size());
  rows_.resize({kept, hidden_});
  gather_rows(attentional.reshaped({static_cast<int64_t>(targets.size()), hidden_}), kept_rows_, rows_);
  project(rows_, logits_);
  if (!keep_gradient) return cross_entropy(logits_, kept_targets_, kPadId, label_smoothing);
  return cross_entropy_with_grad(logits_, kept_targets_, kPadId, label_smoothing, grad_scale);
}

void OutputLayer::backward(Tensor& d_attentional) {
  FERRY_CHECK(!int8_, InternalError, "an output layer with int8 weights has no backward pass");
  const int64_t kept = rows_.dim(0);
  d_rows_.resize({kept, hidden_});
  const Tensor& d_logits = logits_;  // holds the gradient since forward
  const bool bf16 = compute_ == DType::kBF16;
  const Tensor& d_operand = bf16 ? d_logits_bf16_.of(d_logits) : d_logits;
  const Tensor& rows = bf16 ? rows_bf16_.of(rows_) : rows_;
  if (tied_) {
    matmul(matrix(d_operand), matrix(weight_operand()), matrix(d_rows_));
    matmul(matrix(d_operand).transposed(), matrix(rows), matrix(tied_->table().grad), WriteMode::kAccumulate);
  } else {
    matmul(matrix(d_operand), matrix(weight_operand()).transposed(), matrix(d_rows_));
    matmul(matrix(rows).transposed(), matrix(d_operand), matrix(weight_->grad), WriteMode::kAccumulate);
  }
  accumulate_bias_grad(d_logits, bias_->grad);
  d_attentional.resize(input_dims_);
  d_attentional.zero();
  float* d = d_attentional.data();
  const float* from = d_rows_.data();
  for (int64_t k = 0; k < kept; ++k)
    std::memcpy(d + kept_rows_[k] * hidden_, from + k * hidden_, hidden_ * sizeof(float));
}

void OutputLayer::packed_logits(const Tensor& x, Tensor& logits) {
  if (!packed_) {
    const Parameter& weight = tied_ ? tied_->table() : *weight_;
    packed_ = std::make_unique<PackedWeight>(weight, 0, weight.value.dim(0), tied_ != nullptr, compute_);
  }
  packed_->multiply(compute_ == DType::kBF16 ? rows_bf16_.of(x) : x, logits, bias_->value.data());
}

void OutputLayer::log_probs(const Tensor& x, Tensor& log_probs) {
  const int64_t rows = x.dim(0);
  if (int8_) {
    int8_->multiply(x, log_probs, row_scales_);
    dequantize_log_softmax(log_probs, row_scales_, bias_->value.data());
    return;
  }
  packed_logits(x, log_probs);
  full_lengths_.assign(static_cast<size_t>(rows), vocab_);
  Tensor view = log_probs.reshaped({rows, 1, vocab_});
  masked_log_softmax(view, full_lengths_, 0, view);
}

void OutputLayer::best_tokens(const Tensor& x, std::vector<int>& best) {
  if (!int8_ && compute_ == DType::kF32 && ArgmaxScreen::available()) {
    if (!screen_)
      screen_ = std::make_unique<ArgmaxScreen>(tied_ ? tied_->table() : *weight_, tied_ != nullptr, *bias_,
                                               std::vector<int>{kPadId, kBosId});
    screen_->best_columns(x, best);
    return;
  }
  const int64_t rows = x.dim(0);
  best.assign(static_cast<size_t>(rows), -1);
  if (int8_) {
    int8_->multiply(x, search_logits_, row_scales_);
    const float* bias = bias_->value.data();
#pragma omp parallel for schedule(static) if (rows * vocab_ >= kParallelMinElements)
    for (int64_t r = 0; r < rows; ++r) {
      const float scale = row_scales_.data()[r];
      const float* products = search_logits_.data() + r * vocab_;
      best[static_cast<size_t>(r)] =
          first_best(vocab_, [scale, products, bias](int64_t v) { return scale * products[v] + bias[v]; });
    }
    return;
  }
  packed_logits(x, search_logits_);
#pragma omp parallel for schedule(static) if (rows * vocab_ >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float* logits = search_logits_.data() + r * vocab_;
    best[static_cast<size_t>(r)] = first_best(vocab_, [logits](int64_t v) { return logits[v]; });
  }
}

}  // namespace ferry
