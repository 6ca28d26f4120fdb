// The encoder: embeddings and a stack of recurrent layers (bidirectional by default), exact for batches of
// mixed lengths. Each direction of each layer is its own left-to-right oneDNN RNN over the left-aligned,
// end-padded batch; the right-to-left direction reads every sentence reversed within its own length and its
// outputs are reversed back, so pads only ever follow a sentence and never reach a real position.
// Layer k+1 reads the concatenated outputs of both directions of layer k.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/layers/embedding.h"
#include "core/layers/rnn.h"
#include "core/ops/dropout.h"
#include "core/param.h"
#include "core/precision.h"
#include "core/tensor.h"
#include "encoder/encoder_config.h"

namespace ferry {

struct EncoderOutput {
  Tensor states;                // {S, N, D}: the top layer's outputs (D = hidden x directions); zero at pads
  std::vector<Tensor> final_h;  // per layer {N, D}: [forward h after the last token; backward h after the first]
  std::vector<int> lengths;     // {N}: source lengths, </s> included
};

class Encoder {
 public:
  // Registers "encoder/embedding/weight" {vocab, embedding_dim}, drawn from `embedding_init`, and per layer l
  // and direction "encoder/l<l>/{fw,bw}/..." parameters; the RNN layers run at `precision` (f32 or bf16).
  Encoder(ParamRegistry& params, const EncoderConfig& config, int64_t embedding_dim, int64_t vocab,
          Precision precision, uint64_t seed, Init embedding_init = Init::normal(1.0f));

  int64_t output_dim() const { return output_dim_; }
  int64_t layers() const { return static_cast<int64_t>(layers_.size()); }
  Embedding& embedding() { return embedding_; }

  // src: {S, N} ids, time-major (Batch::src), lengths: {N}. With `training`, applies dropout and keeps what
  // backward() needs; otherwise runs inference primitives. `out` is overwritten.
  void forward(const std::vector<int>& src, int64_t steps, const std::vector<int>& lengths, bool training,
               EncoderOutput& out);
  // Gradients of the last training forward: d_states {S, N, D}, d_final_h per layer {N, D} (an empty tensor:
  // none). Adds every parameter's gradient to its grad.
  void backward(const Tensor& d_states, const std::vector<Tensor>& d_final_h);

  // Dropout masks are a function of this counter (the training step), for exact resumes.
  void set_dropout_step(uint64_t step);

 private:
  struct Layer {
    std::unique_ptr<RnnLayer> forward_rnn;
    std::unique_ptr<RnnLayer> backward_rnn;  // null when unidirectional
    std::unique_ptr<Dropout> input_dropout;
    Tensor input;      // {S, N, I}: what the layer read (after dropout)
    Tensor reversed;   // {S, N, I}: input reversed within lengths (backward direction's input)
    Tensor fw_out;     // {S, N, H}
    Tensor bw_out_reversed, bw_out;  // {S, N, H}
    Tensor output;     // {S, N, D}
    // Backward scratch.
    Tensor d_fw, d_bw, d_bw_reversed, d_input, d_reversed, d_reversed_back;
  };

  void run_layer(Layer& layer, size_t index, const std::vector<int>& lengths, bool training);
  // The final states of one layer: forward h at len - 1 and backward h at position 0.
  void read_final_states(const Layer& layer, const std::vector<int>& lengths, Tensor& final_h) const;
  // Adds the gradient of those final states to the gradients of the directions' outputs (d_fw, d_bw): they
  // are read before the residual connection, so none of it takes the residual path.
  void add_final_state_gradients(Layer& layer, const Tensor& d_final_h,
                                 const std::vector<int>& lengths) const;

  EncoderConfig config_;
  int64_t hidden_;
  int64_t output_dim_;
  Embedding embedding_;
  std::vector<Layer> layers_;
  std::vector<int32_t> ids_;  // {S * N} of the last forward
  std::vector<int> lengths_;
  Tensor embedded_;
  Tensor d_output_;  // gradient reaching the layer being walked back
};

}  // namespace ferry
