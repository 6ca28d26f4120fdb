#include "decoder/attention.h"

#include <algorithm>
#include <cmath>

#include "core/ops/arith.h"
#include "core/ops/fast_math.h"
#include "core/ops/matmul.h"
#include "core/ops/row_attention.h"
#include "core/ops/sequence.h"
#include "core/ops/softmax.h"
#include "core/ops/tanh_of_sums.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {

namespace {

// tanh(q[a] + k[a]), from the exponentials of both sides (see tanh_of_sums.h) or directly.
template <bool kFromExps>
inline float tanh_of_sum(const float* q, const float* k, const float* eq, const float* ek, int64_t a) {
  if constexpr (kFromExps) {
    return tanh_from_exps(eq[a], ek[a]);
  } else {
    return fast_tanh_absolute(q[a] + k[a]);
  }
}

// v · tanh(q + k) over a query row and a key row of A values each; the exponentials are read only when
// kFromExps.
template <bool kFromExps>
inline float score_sum(const float* qr, const float* kr, const float* eqr, const float* ekr, const float* v,
                       int64_t A) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t a = 0; a < A; ++a) sum += v[a] * tanh_of_sum<kFromExps>(qr, kr, eqr, ekr, a);
  return sum;
}

// Attention::mlp_scores's loops; the exponentials are read only when kFromExps.
template <bool kFromExps>
void score_sums(const Tensor& queries, const Tensor& query_exps, int64_t T, const Tensor& keys,
                const Tensor& key_exps, const std::vector<int64_t>& lengths, const Tensor& v_param,
                Tensor& scores) {
  const int64_t S = keys.dim(0), N = keys.dim(1), A = keys.dim(2);
  const float* q = queries.data();
  const float* k = keys.data();
  const float* eq = kFromExps ? query_exps.data() : nullptr;
  const float* ek = kFromExps ? key_exps.data() : nullptr;
  const float* v = v_param.data();
  float* out = scores.data();
#pragma omp parallel for collapse(2) schedule(static) if (N * T * S * A >= kParallelMinElements)
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t t = 0; t < T; ++t) {
      const int64_t query_row = (t * N + n) * A;
      float* row = out + (n * T + t) * S;
      const int64_t length = lengths[static_cast<size_t>(n)];
      for (int64_t s = 0; s < length; ++s) {
        const int64_t key_row = (s * N + n) * A;
        row[s] = score_sum<kFromExps>(q + query_row, k + key_row, kFromExps ? eq + query_row : nullptr,
                                      kFromExps ? ek + key_row : nullptr, v, A);
      }
      std::fill(row + length, row + S, 0.0f);
    }
  }
}

// Attention::mlp_scores_backward's loops: dq, dk (zeroed by the caller) and v's gradient per sentence, dv
// {N, A}.
template <bool kFromExps>
void score_sum_grads(const Tensor& queries, const Tensor& query_exps, const Tensor& keys, const Tensor& key_exps,
                     const Tensor& d_scores, const Tensor& v_param, Tensor& d_queries, Tensor& d_keys,
                     std::vector<float>& dv_parts) {
  const int64_t T = queries.dim(0), N = queries.dim(1), A = queries.dim(2), S = keys.dim(0);
  const float* q = queries.data();
  const float* k = keys.data();
  const float* eq = kFromExps ? query_exps.data() : nullptr;
  const float* ek = kFromExps ? key_exps.data() : nullptr;
  const float* v = v_param.data();
  const float* ds = d_scores.data();
  float* dq = d_queries.data();
  float* dk = d_keys.data();
#pragma omp parallel for schedule(static) if (N * T * S * A >= kParallelMinElements)
  for (int64_t n = 0; n < N; ++n) {
    float* dv = dv_parts.data() + n * A;
    for (int64_t t = 0; t < T; ++t) {
      const int64_t query_row = (t * N + n) * A;
      for (int64_t s = 0; s < S; ++s) {
        const float g = ds[(n * T + t) * S + s];
        if (g == 0.0f) continue;
        const int64_t key_row = (s * N + n) * A;
        const float* qr = q + query_row;
        const float* kr = k + key_row;
        const float* eqr = kFromExps ? eq + query_row : nullptr;
        const float* ekr = kFromExps ? ek + key_row : nullptr;
        float* dqr = dq + query_row;
        float* dkr = dk + key_row;
#pragma omp simd
        for (int64_t a = 0; a < A; ++a) {
          const float th = tanh_of_sum<kFromExps>(qr, kr, eqr, ekr, a);
          dv[a] += g * th;
          const float d = g * v[a] * (1.0f - th * th);
          dqr[a] += d;
          dkr[a] += d;
        }
      }
    }
  }
}

// A search step of mlp attention in one parallel pass over the rows, where a pass per part cost a fork and
// a join each: per row the query's exponentials, its scores over the sentence's positions, their softmax and
// the context. queries {R, A} (the projected queries, R = N·T, sentence n's rows n·T .. n·T + T - 1);
// query_exps: scratch; weights resized to {R, S}, context to {R, D}. A row whose queries are out of the
// factored form's range (or a memory without key exponentials) takes its tanh directly.
void mlp_step_rows(const Tensor& queries, int64_t T, const Attention::Memory& memory, const Tensor& v_param,
                   Tensor& query_exps, Tensor& weights, Tensor& context) {
  const int64_t R = queries.dim(0), A = queries.dim(1);
  const int64_t S = memory.keys.dim(0), N = memory.keys.dim(1), D = memory.values.dim(2);
  const bool key_exps = !memory.key_exps.empty();
  weights.resize({R, S});
  context.resize({R, D});
  query_exps.resize({key_exps ? R : 0, A});
  const float* q = queries.data();
  const float* k = memory.keys.data();
  const float* ek = key_exps ? memory.key_exps.data() : nullptr;
  const float* v = v_param.data();
  const float* values = memory.values.data();
#pragma omp parallel for schedule(static) if (R * S * A >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const int64_t n = r / T, length = memory.lengths[static_cast<size_t>(n)];
    const float* qr = q + r * A;
    float* row = weights.data() + r * S;
    int64_t outside = 0;  // counted rather than a max, which NaN would slip through
    if (key_exps) {
#pragma omp simd reduction(+ : outside)
      for (int64_t a = 0; a < A; ++a) outside += !(std::abs(qr[a]) <= kTanhFactorLimit);
    }
    if (key_exps && outside == 0) {
      float* eqr = query_exps.data() + r * A;
#pragma omp simd
      for (int64_t a = 0; a < A; ++a) eqr[a] = fast_exp(2.0f * qr[a]);
      for (int64_t s = 0; s < length; ++s)
        row[s] = score_sum<true>(qr, k + (s * N + n) * A, eqr, ek + (s * N + n) * A, v, A);
    } else {
      for (int64_t s = 0; s < length; ++s)
        row[s] = score_sum<false>(qr, k + (s * N + n) * A, nullptr, nullptr, v, A);
    }
    softmax_row(row, length, S, row);
    weighted_sum_row(row, values + n * D, length, N * D, D, context.data() + r * D);
  }
}

}  // namespace

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
    w_key_ = std::make_unique<Linear>(params, "attention/key", memory_dim, a, false, Activation::kNone,
                                      float_precision(precision));
    v_ = &params.add("attention/v", {a}, Init::uniform(1.0f / std::sqrt(static_cast<float>(a))));
  } else {
    FERRY_CHECK(kind == AttentionKind::kDot, InternalError, "attention of kind " << attention_name(kind));
    FERRY_CHECK(query_dim == memory_dim, InternalError, "dot attention needs equal widths");
  }
}

void Attention::forward(const Tensor& queries, const Tensor& memory, const std::vector<int>& lengths,
                        Tensor& context) {
  const int64_t N = queries.dim(1), S = memory.dim(0);
  check_dims(memory, {S, N, memory_dim_}, "attention memory");
  memory_ = memory;
  lengths_.assign(lengths.begin(), lengths.end());
  if (kind_ == AttentionKind::kMlp) project_keys();
  records_.resize(1);
  forward_record(records_.front(), queries, context);
}

void Attention::backward(const Tensor& d_context, Tensor& d_queries, Tensor& d_memory) {
  backward_record(records_.front(), d_context, d_queries, d_memory, d_keys_);
  if (kind_ == AttentionKind::kMlp)
    w_key_->backward(memory_, keys_, d_keys_, &d_memory, WriteMode::kAccumulate);
}

void Attention::begin_steps(const Tensor& memory, const std::vector<int>& lengths, int64_t steps) {
  check_dims(memory, {memory.dim(0), memory.dim(1), memory_dim_}, "attention memory");
  memory_ = memory;
  lengths_.assign(lengths.begin(), lengths.end());
  if (kind_ == AttentionKind::kMlp) {
    project_keys();
    d_keys_sum_.resize(keys_.dims());
    d_keys_sum_.zero();
  }
  records_.resize(static_cast<size_t>(steps));
  steps_forward_ = 0;
  steps_back_ = 0;
}

void Attention::forward_step(const Tensor& queries, Tensor& context) {
  FERRY_CHECK(steps_forward_ < static_cast<int64_t>(records_.size()), InternalError,
              "attention step " << steps_forward_ << " of " << records_.size() << " begun");
  const int64_t N = queries.dim(0);
  context.resize({N, memory_dim_});
  Tensor step_context = context.reshaped({1, N, memory_dim_});
  forward_record(records_[static_cast<size_t>(steps_forward_)], queries.reshaped({1, N, query_dim_}),
                 step_context);
  steps_back_ = ++steps_forward_;
}

void Attention::backward_step(const Tensor& d_context, Tensor& d_queries, Tensor& d_memory) {
  FERRY_CHECK(steps_back_ > 0 && steps_forward_ == static_cast<int64_t>(records_.size()), InternalError,
              "attention step backward with " << steps_back_ << " of " << steps_forward_ << " steps left");
  const int64_t N = d_context.dim(0);
  Tensor step_d_queries = d_queries.reshaped({1, N, query_dim_});
  backward_record(records_[static_cast<size_t>(--steps_back_)], d_context.reshaped({1, N, memory_dim_}),
                  step_d_queries, d_memory, d_keys_);
  if (kind_ == AttentionKind::kMlp) add_in_place(d_keys_sum_, d_keys_);
}

void Attention::end_backward_steps(Tensor& d_memory) {
  FERRY_CHECK(steps_back_ == 0, InternalError, "attention: " << steps_back_ << " steps not yet back");
  if (kind_ == AttentionKind::kMlp)
    w_key_->backward(memory_, keys_, d_keys_sum_, &d_memory, WriteMode::kAccumulate);
}

void Attention::project_keys() {
  w_key_->forward(memory_, keys_);
  tanh_factor_exps(keys_, key_exps_);
}

void Attention::forward_record(Record& r, const Tensor& queries, Tensor& context) {
  const int64_t T = queries.dim(0), N = queries.dim(1), S = memory_.dim(0);
  check_dims(memory_, {S, N, memory_dim_}, "attention memory");
  r.queries = queries;
  r.scores.resize({N, T, S});
  if (kind_ == AttentionKind::kMlp) {
    w_query_->forward(queries, r.projected);
    if (!key_exps_.empty()) tanh_factor_exps(r.projected, r.projected_exps);
    mlp_scores(r.projected, r.projected_exps, T, keys_, key_exps_, lengths_, r.scores);
  } else {
    if (w_a_) {
      w_a_->forward(queries, r.projected);
    } else {
      r.projected = queries;
    }
    matmul(sequence_matrices(r.projected), sequence_matrices(memory_).transposed(), matrix(r.scores));
  }
  masked_softmax(r.scores, lengths_, 0, r.weights);
  context.resize({T, N, memory_dim_});
  matmul(matrix(r.weights), sequence_matrices(memory_), sequence_matrices(context));
}

void Attention::backward_record(Record& r, const Tensor& d_context, Tensor& d_queries, Tensor& d_memory,
                                Tensor& d_keys) {
  d_weights_.resize(r.weights.dims());
  matmul(sequence_matrices(d_context), sequence_matrices(memory_).transposed(), matrix(d_weights_));
  matmul(matrix(r.weights).transposed(), sequence_matrices(d_context), sequence_matrices(d_memory),
         WriteMode::kAccumulate);
  masked_softmax_backward(r.weights, d_weights_, lengths_, 0, d_weights_);  // now d_scores
  d_projected_.resize(r.projected.dims());
  if (kind_ == AttentionKind::kMlp) {
    d_keys.resize(keys_.dims());
    mlp_scores_backward(r.projected, r.projected_exps, keys_, key_exps_, d_weights_, d_projected_, d_keys);
    w_query_->backward(r.queries, r.projected, d_projected_, &d_queries, WriteMode::kAccumulate);
    return;
  }
  matmul(matrix(d_weights_), sequence_matrices(memory_), sequence_matrices(d_projected_));
  matmul(matrix(d_weights_).transposed(), sequence_matrices(r.projected), sequence_matrices(d_memory),
         WriteMode::kAccumulate);
  if (w_a_) {
    w_a_->backward(r.queries, r.projected, d_projected_, &d_queries, WriteMode::kAccumulate);
  } else {
    add_in_place(d_queries, d_projected_);
  }
}

void Attention::mlp_scores(const Tensor& queries, const Tensor& query_exps, int64_t T,
                           const Tensor& keys, const Tensor& key_exps, const std::vector<int64_t>& lengths,
                           Tensor& scores) const {
  if (!query_exps.empty() && !key_exps.empty()) {
    score_sums<true>(queries, query_exps, T, keys, key_exps, lengths, v_->value, scores);
  } else {
    score_sums<false>(queries, query_exps, T, keys, key_exps, lengths, v_->value, scores);
  }
}

void Attention::mlp_scores_backward(const Tensor& queries, const Tensor& query_exps, const Tensor& keys,
                                    const Tensor& key_exps, const Tensor& d_scores, Tensor& d_queries,
                                    Tensor& d_keys) {
  const int64_t N = queries.dim(1), A = queries.dim(2);
  d_queries.zero();
  d_keys.zero();
  // Each sentence n owns its rows of dq and dk; v's gradient is summed per sentence, then in order.
  dv_parts_.assign(static_cast<size_t>(N * A), 0.0f);
  if (!query_exps.empty() && !key_exps.empty()) {
    score_sum_grads<true>(queries, query_exps, keys, key_exps, d_scores, v_->value, d_queries, d_keys, dv_parts_);
  } else {
    score_sum_grads<false>(queries, query_exps, keys, key_exps, d_scores, v_->value, d_queries, d_keys, dv_parts_);
  }
  float* v_grad = v_->grad.data();
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t a = 0; a < A; ++a) v_grad[a] += dv_parts_[n * A + a];
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
    w_key_->infer(memory, out.keys);
    tanh_factor_exps(out.keys, out.key_exps);
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
    w_query_->infer(queries, step_projected_);
    mlp_step_rows(step_projected_, rows_per_sentence, memory, v_->value, step_projected_exps_, weights, context);
    return;
  }
  row_dot_scores(queries, memory.keys, memory.lengths, rows_per_sentence, weights);
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
  if (key_exps.empty()) {
    scratch.key_exps = Tensor();
  } else {
    scratch.key_exps.resize({S, B, key_exps.dim(2)});
    gather_columns(key_exps, sentences, scratch.key_exps);
  }
  scratch.lengths.clear();
  for (const int b : sentences) scratch.lengths.push_back(lengths[b]);
  std::swap(*this, scratch);
}

}  // namespace ferry
