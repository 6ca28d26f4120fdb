// The decoder: target embeddings, a stack of LSTM, GRU or vanilla tanh RNN layers started from the bridge's
// state, attention placed after the recurrence (Luong style, so the recurrence never waits for attention),
// and the combine layer a = tanh(W_c [context; h] + b_c). With attention "none" the decoder sees the encoder
// only through its initial state and a = h. Training and scoring run the whole target sequence through one
// RNN call per layer (teacher forcing); search runs one step over (sentences x rows per sentence) rows at a
// time. With input feeding (Luong) the first layer's input at step t is [embedding; a_(t-1)] (a_(-1) = 0),
// the attentional output of the step before, after its dropout: the recurrence then waits for attention, and
// training and scoring run step by step too (decoder_steps.cpp).
#pragma once

#include <memory>
#include <vector>

#include "core/layers/embedding.h"
#include "core/layers/linear.h"
#include "core/layers/rnn.h"
#include "core/layers/token_input_step.h"
#include "core/ops/dropout.h"
#include "core/param.h"
#include "core/precision.h"
#include "decoder/attention.h"
#include "decoder/combine_step.h"
#include "decoder/decoder_config.h"

namespace ferry {

// The recurrent state of R rows: per layer h {R, H} and, for an LSTM, c {R, H}.
struct DecoderState {
  std::vector<Tensor> h;
  std::vector<Tensor> c;  // empty tensors for a GRU
  Tensor feed;            // with input feeding {R, H}: the attentional output of the step before; else empty

  // Row i becomes old row rows[i] (the row count may change); `scratch` holds the old rows afterwards.
  void gather_rows(const std::vector<int>& rows, DecoderState& scratch);
};

class Decoder {
 public:
  // Registers "decoder/embedding/weight" {vocab, embedding_dim}, "decoder/l<j>/..." per layer, the
  // attention's and "decoder/combine/*", for a memory (encoder states) `memory_dim` wide. With
  // `tied_output` the embedding table is also the output layer's weight (and starts small). With
  // `shared_embedding` (a {vocab, embedding_dim} table registered elsewhere, e.g. the source embeddings of a
  // joint vocabulary) the decoder looks its tokens up there and registers no table of its own.
  // `precision`: the recurrent layers' and the combine layer's (int8 too); attention runs at
  // float_precision(precision).
  Decoder(ParamRegistry& params, const DecoderConfig& config, int64_t embedding_dim, int64_t vocab,
          int64_t memory_dim, bool tied_output, Precision precision, uint64_t seed,
          Parameter* shared_embedding = nullptr);

  int64_t hidden() const { return hidden_; }
  Embedding& embedding() { return embedding_; }
  bool has_attention() const { return attention_ != nullptr; }
  bool input_feeding() const { return input_feeding_; }
  // nullptr for attention "none".
  Attention* attention() { return attention_.get(); }

  // tgt_in: {T, N} ids, time-major; initial: per layer {N, H}; memory {S, N, D} with lengths {N}.
  // out: resized to {T, N, H}, the attentional outputs (after dropout when training). With `training`,
  // keeps what backward() needs; otherwise runs inference primitives. `final_state` (not with input
  // feeding), when given, receives every layer's state after step T - 1, a leaf for backward(): no
  // gradient flows back in through it.
  void forward(const std::vector<int>& tgt_in, int64_t steps, const DecoderState& initial,
               const Tensor& memory, const std::vector<int>& lengths, bool training, Tensor& out,
               DecoderState* final_state = nullptr);
  // d_out {T, N, H}. Writes d_initial (per layer {N, H}) and adds into d_memory {S, N, D}; adds every
  // parameter's gradient.
  void backward(const Tensor& d_out, DecoderState& d_initial, Tensor& d_memory);

  // Search. prepare(): the attention memory of a batch; step(): feeds tokens {R} (R = B x rows_per_sentence,
  // the rows of a sentence consecutive) with state in place, out resized to {R, H}; attention_weights
  // resized to {R, S} (unset without attention).
  void prepare(const Tensor& memory, const std::vector<int>& lengths, Attention::Memory& prepared);
  void step(const std::vector<int>& tokens, const Attention::Memory& prepared, int64_t rows_per_sentence,
            DecoderState& state, Tensor& out, Tensor& attention_weights);

  void set_dropout_step(uint64_t step);

 private:
  // forward() and backward() one step at a time (decoder_steps.cpp), for input feeding and for recurrent
  // dropout in training. embedded_ holds the target embeddings {T, N, E} after their dropout.
  void forward_steps(int64_t steps, const DecoderState& initial, const Tensor& memory,
                     const std::vector<int>& lengths, bool training, Tensor& out);
  void backward_steps(const Tensor& d_out, DecoderState& d_initial, Tensor& d_memory);
  // One step's attention and combine layer over the top layer's output {N, H}: a {N, H}, attentional
  // output before dropout.
  void attend_step(int64_t t, const Tensor& top, Tensor& a);

  struct Layer {
    std::unique_ptr<RnnLayer> rnn;
    std::unique_ptr<Dropout> input_dropout;
    std::unique_ptr<Dropout> recurrent_dropout;  // draws the layer's recurrent mask {N, H} per batch
    Tensor recurrent_mask;
    Tensor input, output;  // {T, N, I}, {T, N, H}
    Tensor d_input, d_output;
  };

  int64_t hidden_;
  bool lstm_;
  bool input_feeding_;
  float recurrent_dropout_;
  bool stepped_ = false;  // the last forward ran step by step
  Embedding embedding_;
  std::vector<Layer> layers_;
  // Without input feeding, search steps run the first layer from a table of its input products per token.
  std::unique_ptr<TokenInputStep> token_step_;
  std::unique_ptr<Attention> attention_;
  std::unique_ptr<Linear> combine_;
  std::unique_ptr<CombineStep> combine_step_;  // the combine layer of search steps
  std::unique_ptr<Dropout> output_dropout_;

  std::vector<int32_t> ids_;
  Tensor embedded_;
  Tensor context_, joined_, combined_;  // {T, N, D}, {T, N, D + H}, {T, N, H}
  Tensor d_combined_, d_joined_, d_context_, d_top_;
  // A dropout mask {T, N, H} drawn once per batch for the step-wise pass, applied a step at a time.
  struct StepMask {
    Tensor values;        // 0 or 1 / (1 - rate)
    bool active = false;  // false when not training or at rate 0
    void draw(Dropout& dropout, const Dims& dims, bool training);
    void apply(int64_t t, Tensor& x) const;  // x {N, H} *= values[t]
  };

  // Input feeding: the top layer's outputs {T, N, H}; the masks of the inputs of layers 1.. and of the
  // attentional outputs; the recurrent state when not training; per-step scratch.
  Tensor tops_;
  std::vector<StepMask> between_masks_;
  StepMask output_mask_;
  std::vector<Tensor> step_h_, step_c_;
  Tensor step_input_, step_d_input_, step_d_out_, step_d_feed_, step_feed_zero_;
  Tensor step_below_[2], step_d_below_[2];
  // Search-step scratch.
  Tensor step_embedded_, step_output_, step_context_;
  std::vector<int32_t> step_ids_;
};

}  // namespace ferry
