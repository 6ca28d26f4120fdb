#include "decoder/attention.h"

#include <cmath>

#include "core/ops/arith.h"
#include "core/ops/fast_math.h"
#include "core/ops/matmul.h"
#include "core/ops/row_attention.h"
#include "core/ops/sequence.h"
#include "core/ops/softmax.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {

Attention::Attention(ParamRegistry& params, AttentionKind kind, int64_t query_dim, int64_t memory_dim,
                     Precision precision)
    : kind_(kind), query_dim_(query_dim), memory_dim_(memory_dim) {
  using Activation = Linear::Activation;
  if (kind == AttentionKind::kGeneral) {
    w_a_ = std::make_unique<Linear>(params, "attention/W_a", query_dim, memory_dim, false, Activation::kNone,
                                    precision);
  } else if (kind == AttentionKind::kMlp) {
    const int64_t a = query_dim;
    w_query_ =
        std::make_unique<Linear>(params, "attention/query", query_dim, a, true, Activation::kNone, precision);
    w_key_ =
        std::make_unique<Linear>(params, "attention/key", memory_dim, a, false, Activation::kNone, precision);
    v_ = &params.add("attention/v", {a}, Init::uniform(1.0f / std::sqrt(static_cast<float>(a))));
  } else {
    FERRY_CHECK(kind == AttentionKind::kDot, InternalError, "attention of kind " << attention_name(kind));
    FERRY_CHECK(query_dim == memory_dim, InternalError, "dot attention needs equal widths");
  }
}

void Attention::forward(const Tensor& queries, const Tensor& memory, const std::vector<int>& lengths,
                        Tensor& context) {
  const int64_t T = queries.dim(0), N = queries.dim(1), S = memory.dim(0);
  check_dims(memory, {S, N, memory_dim_}, "attention memory");
  queries_ = queries;
  memory_ = memory;
  lengths_.assign(lengths.begin(), lengths.end());
  scores_.resize({N, T, S});
  if (kind_ == AttentionKind::kMlp) {
    w_query_->forward(queries, projected_);
    w_key_->forward(memory, keys_);
    mlp_scores(projected_, T, false, keys_, scores_);
  } else {
    if (w_a_) {
      w_a_->forward(queries, projected_);
    } else {
      projected_ = queries;
    }
    matmul(sequence_matrices(projected_), sequence_matrices(memory).transposed(), matrix(scores_));
  }
  masked_softmax(scores_, lengths_, 0, weights_);
  context.resize({T, N, memory_dim_});
  matmul(matrix(weights_), sequence_matrices(memory), sequence_matrices(context));
}

void Attention::backward(const Tensor& d_context, Tensor& d_queries, Tensor& d_memory) {
  d_weights_.resize(weights_.dims());
  matmul(sequence_matrices(d_context), sequence_matrices(memory_).transposed(), matrix(d_weights_));
  matmul(matrix(weights_).transposed(), sequence_matrices(d_context), sequence_matrices(d_memory),
         WriteMode::kAccumulate);
  masked_softmax_backward(weights_, d_weights_, lengths_, 0, d_weights_);  // now d_scores
  d_projected_.resize(projected_.dims());
  if (kind_ == AttentionKind::kMlp) {
    d_keys_.resize(keys_.dims());
    mlp_scores_backward(projected_, keys_, d_weights_, d_projected_, d_keys_);
    w_query_->backward(queries_, projected_, d_projected_, &d_queries, WriteMode::kAccumulate);
    w_key_->backward(memory_, keys_, d_keys_, &d_memory, WriteMode::kAccumulate);
    return;
  }
  matmul(matrix(d_weights_), sequence_matrices(memory_), sequence_matrices(d_projected_));
  matmul(matrix(d_weights_).transposed(), sequence_matrices(projected_), sequence_matrices(d_memory),
         WriteMode::kAccumulate);
  if (w_a_) {
    w_a_->backward(queries_, projected_, d_projected_, &d_queries, WriteMode::kAccumulate);
  } else {
    add_in_place(d_queries, d_projected_);
  }
}

void Attention::mlp_scores(const Tensor& queries, int64_t T, bool grouped, const Tensor& keys,
                           Tensor& scores) const {
  const int64_t S = keys.dim(0), N = keys.dim(1), A = keys.dim(2);
  const float* q = queries.data();
  const float* k = keys.data();
  const float* v = v_->value.data();
  float* out = scores.data();
#pragma omp parallel for collapse(2) schedule(static) if (N * T * S * A >= kParallelMinElements)
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t t = 0; t < T; ++t) {
      const float* qr = q + (grouped ? n * T + t : t * N + n) * A;
      for (int64_t s = 0; s < S; ++s) {
        const float* kr = k + (s * N + n) * A;
        float sum = 0;
#pragma omp simd reduction(+ : sum)
        for (int64_t a = 0; a < A; ++a) sum += v[a] * fast_tanh(qr[a] + kr[a]);
        out[(n * T + t) * S + s] = sum;
      }
    }
  }
}

void Attention::mlp_scores_backward(const Tensor& queries, const Tensor& keys, const Tensor& d_scores,
                                    Tensor& d_queries, Tensor& d_keys) {
  const int64_t T = queries.dim(0), N = queries.dim(1), A = queries.dim(2), S = keys.dim(0);
  const float* q = queries.data();
  const float* k = keys.data();
  const float* v = v_->value.data();
  const float* ds = d_scores.data();
  float* dq = d_queries.data();
  float* dk = d_keys.data();
  d_queries.zero();
  d_keys.zero();
  // Each sentence n owns its rows of dq and dk; v's gradient is summed per sentence, then in order.
  std::vector<float> dv_parts(static_cast<size_t>(N * A), 0.0f);
#pragma omp parallel for schedule(static) if (N * T * S * A >= kParallelMinElements)
  for (int64_t n = 0; n < N; ++n) {
    float* dv = dv_parts.data() + n * A;
    for (int64_t t = 0; t < T; ++t) {
      const float* qr = q + (t * N + n) * A;
      float* dqr = dq + (t * N + n) * A;
      for (int64_t s = 0; s < S; ++s) {
        const float g = ds[(n * T + t) * S + s];
        if (g == 0.0f) continue;
        const float* kr = k + (s * N + n) * A;
        float* dkr = dk + (s * N + n) * A;
        for (int64_t a = 0; a < A; ++a) {
          const float th = fast_tanh(qr[a] + kr[a]);
          dv[a] += g * th;
          const float d = g * v[a] * (1.0f - th * th);
          dqr[a] += d;
          dkr[a] += d;
        }
      }
    }
  }
  float* v_grad = v_->grad.data();
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t a = 0; a < A; ++a) v_grad[a] += dv_parts[n * A + a];
  }
}

void Attention::prepare(const Tensor& memory, const std::vector<int>& lengths, Memory& out) {
  out.values = memory;
  out.lengths.assign(lengths.begin(), lengths.end());
  if (kind_ == AttentionKind::kGeneral) {
    // h · W_a e = h · (e W_aᵀ): keys are the memory projected into the query space once.
    const int64_t S = memory.dim(0), B = memory.dim(1);
    out.keys.resize({S, B, query_dim_});
    matmul(flat_matrix(memory), matrix(w_a_->weight().value).transposed(), flat_matrix(out.keys));
  } else if (kind_ == AttentionKind::kMlp) {
    w_key_->forward(memory, out.keys);
  } else {
    out.keys = memory;
  }
}

void Attention::step(const Memory& memory, const Tensor& queries, int64_t rows_per_sentence, Tensor& context,
                     Tensor& weights) {
  const int64_t R = queries.dim(0), S = memory.values.dim(0), B = memory.values.dim(1);
  FERRY_CHECK(R == B * rows_per_sentence, InternalError,
              "attention step: " << R << " rows for " << B << " x " << rows_per_sentence);
  if (kind_ == AttentionKind::kMlp) {
    weights.resize({B, rows_per_sentence, S});
    w_query_->forward(queries, step_projected_);
    mlp_scores(step_projected_, rows_per_sentence, true, memory.keys, weights);
  } else {
    row_dot_scores(queries, memory.keys, memory.lengths, rows_per_sentence, weights);
  }
  masked_softmax(weights, memory.lengths, 0, weights);
  row_weighted_sums(weights, memory.values, memory.lengths, context);
  weights = weights.reshaped({R, S});
}

void Attention::Memory::keep_sentences(const std::vector<int>& sentences, Memory& scratch) {
  const int64_t S = values.dim(0), B = static_cast<int64_t>(sentences.size());
  scratch.values.resize({S, B, values.dim(2)});
  gather_columns(values, sentences, scratch.values);
  if (keys.empty()) {
    scratch.keys = Tensor();
  } else {
    scratch.keys.resize({S, B, keys.dim(2)});
    gather_columns(keys, sentences, scratch.keys);
  }
  scratch.lengths.clear();
  for (const int b : sentences) scratch.lengths.push_back(lengths[b]);
  std::swap(*this, scratch);
}

}  // namespace ferry
