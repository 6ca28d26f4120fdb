// Attention of decoder states (queries) over encoder states (memory), with source padding masked:
//   dot      score(h, e) = h · e                          (needs equal widths)
//   general  score(h, e) = h · W_a e                      (Luong)
//   mlp      score(h, e) = v · tanh(W_q h + W_k e + b)    (Bahdanau-style)
// weights = softmax over the sentence's real source positions; context = Σ weights · e.
// Two paths over the same parameters: whole target sequences at once (training and scoring), and one step of
// many rows for search, where everything that depends only on the memory is computed once per batch.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/layers/linear.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"
#include "decoder/decoder_config.h"

namespace ferry {

class Attention {
 public:
  // What the search path keeps per batch of sentences.
  struct Memory {
    Tensor values;  // {S, B, C}: what the context sums: the encoder states (prepare), or what the caller put
                    // there instead (a decoder: the states' projection by its combine layer)
    Tensor keys;    // {S, B, K}: what queries are scored against (projected once; may be empty)
    Tensor key_exps;  // mlp: e^(2·keys) for tanh_from_exps, or empty where the keys are out of its range
    std::vector<int64_t> lengths;  // {B}

    // Keeps only the listed sentences (increasing positions), in that order; `scratch` is swapped in.
    void keep_sentences(const std::vector<int>& sentences, Memory& scratch);
  };

  // kind: dot, general or mlp. Registers "attention/W_a/weight" {Q, D} (general), or "attention/query/*",
  // "attention/key/weight" and "attention/v" (mlp). `precision`: that of the projections of queries (general's
  // W_a, mlp's query layer: 8-bit too, at precision int8), while the keys' projection, once per batch, runs at
  // float_precision.
  Attention(ParamRegistry& params, AttentionKind kind, int64_t query_dim, int64_t memory_dim,
            Precision precision = Precision::kF32);

  // queries {T, N, Q}, memory {S, N, D}, lengths {N}; context resized to {T, N, D}. Keeps what backward
  // needs.
  void forward(const Tensor& queries, const Tensor& memory, const std::vector<int>& lengths, Tensor& context);
  // d_context {T, N, D}; adds into d_queries {T, N, Q} and d_memory {S, N, D}, and to parameter grads.
  void backward(const Tensor& d_context, Tensor& d_queries, Tensor& d_memory);
  // {N, T, S} weights of the last forward.
  const Tensor& weights() const { return records_.front().weights; }

  // Step-wise training (input feeding), one query per step: begin_steps() takes memory {S, N, D} and lengths
  // {N} for T steps; forward_step() scores the next step's queries {N, Q}, context resized to {N, D};
  // backward_step() then goes back over the steps, last first: d_context {N, D}, adds into d_queries {N, Q}
  // and d_memory {S, N, D}, and to parameter grads; after step 0, end_backward_steps() adds what remains of
  // the memory's gradient into d_memory.
  void begin_steps(const Tensor& memory, const std::vector<int>& lengths, int64_t steps);
  void forward_step(const Tensor& queries, Tensor& context);
  void backward_step(const Tensor& d_context, Tensor& d_queries, Tensor& d_memory);
  void end_backward_steps(Tensor& d_memory);

  // memory {S, B, D}, lengths {B}.
  void prepare(const Tensor& memory, const std::vector<int>& lengths, Memory& out);
  // queries {B·rows_per_sentence, Q} (the rows of a sentence consecutive); context resized to {R, C},
  // weights to {R, S}.
  void step(const Memory& memory, const Tensor& queries, int64_t rows_per_sentence, Tensor& context,
            Tensor& weights);

 private:
  // mlp: scores (n, t, s) = v · tanh(q(n, t) + keys[s, n]) with projected queries q {T, N, A} (time-major),
  // keys {S, N, A}; scores {N, T, S}. Only s < lengths[n] is computed (the masked softmax reads no further);
  // the rest of a row is zero. The tanh comes from the exponentials of queries and keys (tanh_factor_exps)
  // when both are given (not empty).
  void mlp_scores(const Tensor& queries, const Tensor& query_exps, int64_t T, const Tensor& keys,
                  const Tensor& key_exps, const std::vector<int64_t>& lengths, Tensor& scores) const;
  // Its backward: d_scores {N, T, S} → d_queries {T, N, A}, d_keys {S, N, A} (overwritten), v's grad added.
  void mlp_scores_backward(const Tensor& queries, const Tensor& query_exps, const Tensor& keys,
                           const Tensor& key_exps, const Tensor& d_scores, Tensor& d_queries, Tensor& d_keys);
  // mlp: keys_ and key_exps_ from memory_.
  void project_keys();

  AttentionKind kind_;
  int64_t query_dim_, memory_dim_;
  std::unique_ptr<Linear> w_a_;              // general
  std::unique_ptr<Linear> w_query_, w_key_;  // mlp
  Parameter* v_ = nullptr;                   // mlp {A}

  // What one forward keeps for its backward: the whole sequence's, or one step's.
  struct Record {
    Tensor queries;          // {T, N, Q}
    Tensor projected;        // {T, N, K}: W_a h (general) or W_q h + b (mlp)
    Tensor projected_exps;   // mlp: e^(2·projected) when the keys' are taken too, else empty
    Tensor scores, weights;  // {N, T, S}
  };

  // Scores queries {T, N, Q} against memory_ / keys_, context {T, N, D}, keeping what backward needs in `r`.
  void forward_record(Record& r, const Tensor& queries, Tensor& context);
  // Its backward: adds into d_queries and d_memory, and writes the mlp's key gradient into d_keys.
  void backward_record(Record& r, const Tensor& d_context, Tensor& d_queries, Tensor& d_memory,
                       Tensor& d_keys);

  // Kept from forward for backward.
  Tensor memory_;
  std::vector<int64_t> lengths_;
  Tensor keys_, key_exps_;  // mlp: {S, N, A}; key_exps_ as Memory::key_exps
  std::vector<Record> records_{1};
  int64_t steps_forward_ = 0, steps_back_ = 0;
  // Backward scratch; d_keys_sum_: the mlp's key gradient summed over the steps; dv_parts_: v's gradient per
  // sentence {N, A}, summed in order after the parallel loop.
  Tensor d_weights_, d_projected_, d_keys_, d_keys_sum_;
  std::vector<float> dv_parts_;
  // Search-step scratch.
  Tensor step_projected_, step_projected_exps_;
};

}  // namespace ferry
