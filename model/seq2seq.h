// The whole network: encoder, bridge, attentional decoder and output layer over one parameter registry; or,
// for a language model (model.type lm), the decoder and output layer alone, started from zeros, the batch's
// sources ignored.
// Training: forward(batch) gives the loss, backward() the gradients of the mean loss per target token.
// Search: begin_search() encodes a batch once, search_step() advances every (sentence, row) pair by one
// token, reorder_rows() and keep_sentences() rearrange rows between steps.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/loss.h"
#include "core/param.h"
#include "data/batch.h"
#include "decoder/bridge.h"
#include "decoder/decoder.h"
#include "decoder/output_layer.h"
#include "encoder/encoder.h"
#include "model/model_config.h"
#include "model/word_dropout.h"

namespace ferry {

// What search keeps between steps for B sentences x rows_per_sentence rows.
struct SearchState {
  int64_t rows_per_sentence = 1;
  int64_t sentences = 0;     // B
  int64_t source_steps = 0;  // S
  Tensor encoded;  // {S, B, D}: the encoder's states as the search began (keep_sentences leaves them)
  Attention::Memory memory;  // made from `encoded`
  DecoderState decoder;
  Tensor attentional;  // {R, H}
  Tensor attention;    // {R, S}: the last step's attention weights (empty without attention)
  // Scratch for rearranging rows.
  DecoderState scratch;
  Attention::Memory scratch_memory;
};

class Seq2Seq {
 public:
  // kInference: no gradient buffers (backward() is refused) and zero parameters, waiting to be loaded.
  enum class Use { kTraining, kInference };

  // `shared_weights` (kInference only): a registry of a network of the same config and vocabularies whose
  // parameter values this one shares instead of holding its own (see ParamRegistry).
  Seq2Seq(const ModelConfig& config, int64_t src_vocab, int64_t tgt_vocab, uint64_t seed,
          Use use = Use::kTraining, const ParamRegistry* shared_weights = nullptr);
  Seq2Seq(const Seq2Seq&) = delete;
  Seq2Seq& operator=(const Seq2Seq&) = delete;

  ParamRegistry& params() { return params_; }
  const ParamRegistry& params() const { return params_; }
  const ModelConfig& config() const { return config_; }
  int64_t src_vocab() const { return src_vocab_; }
  int64_t tgt_vocab() const { return tgt_vocab_; }
  // Whether search steps give attention weights.
  bool has_attention() const { return decoder_.has_attention(); }

  // Teacher-forced loss of a batch (summed over its target tokens). With `training`: dropout on, and what
  // backward() needs is kept; otherwise inference primitives and no dropout.
  // `carry` (a language model's stream, training.bptt): the decoder starts from it (zeros when it holds no
  // state) and it receives the state after the batch's last step, which backward() treats as a leaf.
  LossSum forward(const Batch& batch, bool training, float label_smoothing = 0.0f,
                  DecoderState* carry = nullptr);
  // Parameters [first, first + count) of params().all() whose gradients backward() has finished.
  using GradientsDone = std::function<void(size_t first, size_t count)>;

  // Adds to every parameter's grad the gradient of (loss / tokens) of the last forward, which must have been
  // a training forward with no inference forward and no begin_search() since (they reuse its buffers), and
  // not yet walked back; InternalError otherwise. `done`, when given, hears of each part's parameters as
  // soon as nothing later adds to their gradients (output layer, decoder, bridge, encoder: the reverse of
  // the registration order); together the calls cover every parameter once, in decreasing index order.
  void backward(const GradientsDone& done = {});
  // Dropout masks follow this counter (the training step), so that a resumed run draws the same masks.
  void set_dropout_step(uint64_t step);

  // src: {S, B} ids time-major, lengths {B}: encodes once and starts rows_per_sentence rows per sentence
  // from the bridge.
  void begin_search(const std::vector<int>& src, int64_t steps, const std::vector<int>& lengths,
                    int64_t rows_per_sentence, SearchState& state);
  // tokens: {R} (R = B x rows_per_sentence, the rows of a sentence consecutive); log_probs: resized to
  // {R, V}.
  void search_step(const std::vector<int>& tokens, SearchState& state, Tensor& log_probs);
  // The same step where only each row's best token is needed (greedy search): best resized to {R}, as
  // OutputLayer::best_tokens gives it.
  void search_step_best(const std::vector<int>& tokens, SearchState& state, std::vector<int>& best);
  // New row i continues old row rows[i] (rows stay within their sentence's group). The row count may
  // change by a whole number of rows per sentence: rows_per_sentence becomes rows.size() / sentences.
  void reorder_rows(SearchState& state, const std::vector<int>& rows);
  // Keeps only the listed sentences (increasing), with all their rows, in that order.
  void keep_sentences(SearchState& state, const std::vector<int>& sentences);

 private:
  // A search step's decoder part: state.attentional (and attention) for `tokens`.
  void step_decoder(const std::vector<int>& tokens, SearchState& state);
  // The decoder's initial state: the bridge's over the encoder's final states, or a language model's zeros
  // for `batch` rows (or `carry` when it holds a state).
  void start_decoder(const EncoderOutput& encoded, int64_t batch, const DecoderState* carry = nullptr);

  ModelConfig config_;
  int64_t src_vocab_, tgt_vocab_;
  ParamRegistry params_;
  // Registry sizes after the encoder, the bridge and the decoder registered their parameters (set while
  // the parts below are constructed, so declared before them). A parameter shared between parts (tied
  // embeddings) belongs to the part registered first, which is the last that backward() walks.
  size_t encoder_params_end_ = 0, bridge_params_end_ = 0, decoder_params_end_ = 0;
  std::unique_ptr<Encoder> encoder_;  // null for a language model
  std::unique_ptr<Bridge> bridge_;    // null for a language model
  Decoder decoder_;
  OutputLayer output_;
  WordDropout src_word_dropout_, tgt_word_dropout_;

  // Training forward results and backward scratch.
  EncoderOutput encoded_;
  DecoderState initial_, d_initial_;
  Tensor attentional_, d_attentional_, d_memory_;
  std::vector<Tensor> d_final_h_;
  std::vector<int> src_ids_, tgt_ids_;  // the batch's inputs after word dropout
  std::vector<int> targets_;
  std::vector<int> row_map_;
  bool backward_ready_ = false;  // the buffers hold a training forward that backward() may walk back
};

}  // namespace ferry
