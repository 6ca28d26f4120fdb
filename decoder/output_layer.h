// The output layer: attentional vectors to scores over the target vocabulary (logits = a·W + b, W optionally
// the target embedding table transposed), fused with the cross-entropy loss in training. Only positions that
// hold a target token are projected: padding costs nothing here. At precision int8 the weight serves the
// search's log_probs and the loss forward, never backward.
#pragma once

#include <memory>
#include <vector>

#include "core/layers/argmax_screen.h"
#include "core/layers/embedding.h"
#include "core/layers/int8_weight.h"
#include "core/layers/packed_weight.h"
#include "core/ops/bf16_copy.h"
#include "core/loss.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"

namespace ferry {

class OutputLayer {
 public:
  // Registers "output/bias" {V} and, unless tied to `tied_embedding` (table {V, H}), "output/weight" {H, V}.
  OutputLayer(ParamRegistry& params, int64_t hidden, int64_t vocab, Embedding* tied_embedding,
              Precision precision = Precision::kF32);

  // attentional: {T, N, H}; targets: {T·N} in the same order (kPadId rows excluded). Returns the summed loss
  // and its token count. With `keep_gradient`, keeps grad_scale · ∂loss/∂logits for backward().
  LossSum forward(const Tensor& attentional, const std::vector<int>& targets, float label_smoothing,
                  float grad_scale, bool keep_gradient);
  // d_attentional: resized to the forward's {T, N, H}; zero at excluded rows. Adds the weight gradients.
  void backward(Tensor& d_attentional);

  // x: {R, H}; log_probs: resized to {R, V}, each row a log-distribution. The search's call: the weight
  // is packed once (PackedWeight), or 8 bits at precision int8.
  void log_probs(const Tensor& x, Tensor& log_probs);

  // x: {R, H}; best: resized to {R}, each row's token that log_probs() would rank first (pad and <s> never,
  // ties to the lower id; -1 when no token's score is finite), without the log-softmax. At f32, where the CPU
  // has 8-bit products, through an ArgmaxScreen: the 8-bit product, then f32 for the few tokens it leaves.
  void best_tokens(const Tensor& x, std::vector<int>& best);

  int64_t vocab() const { return vocab_; }

 private:
  void project(const Tensor& rows, Tensor& logits);
  // The search's logits without the int8 path: x·W + b on the packed weight.
  void packed_logits(const Tensor& x, Tensor& logits);
  // The weight as the products see it: {H, V} (untied) or {V, H} (tied), f32 or bf16.
  const Tensor& weight_operand();

  int64_t hidden_, vocab_;
  Parameter* weight_ = nullptr;  // {H, V} when untied
  Embedding* tied_ = nullptr;    // table {V, H} when tied
  Parameter* bias_;

  Dims input_dims_;
  std::vector<int> kept_rows_;          // rows of the flattened input that hold a target
  std::vector<int32_t> kept_targets_;
  Tensor rows_, logits_, d_rows_;       // {K, H}, {K, V}, {K, H}
  std::vector<int64_t> full_lengths_;   // search: every row's length is V
  DType compute_;
  Bf16Copy rows_bf16_, weight_bf16_, d_logits_bf16_;  // bf16 operands when compute_ is bf16
  std::unique_ptr<Int8Weight> int8_;                  // precision int8 only
  std::unique_ptr<PackedWeight> packed_;              // log_probs' weight otherwise, made at its first call
  std::unique_ptr<ArgmaxScreen> screen_;              // best_tokens' at f32, made at its first call
  Tensor row_scales_;
  Tensor search_logits_;  // best_tokens' logits where it computes them all
};

}  // namespace ferry
