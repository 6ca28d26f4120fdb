// The `model` section: the architecture of the encoder-decoder network.
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"
#include "util/config_reader.h"

namespace ferry {

struct EmbeddingConfig {
  int64_t src_dim = 256;
  int64_t tgt_dim = 256;
  bool tie_target = false;  // output projection shares the target embedding matrix
};

struct EncoderConfig {
  std::string cell = "lstm";  // lstm, gru, rnn
  int64_t layers = 2;
  int64_t hidden = 256;       // per direction
  bool bidirectional = true;
  bool residual = false;      // layer k >= 2 adds its input to its output
  double dropout = 0.3;       // on embeddings and between layers
};

struct DecoderConfig {
  std::string cell = "lstm";        // lstm, gru
  int64_t layers = 2;
  int64_t hidden = 512;
  std::string attention = "general";  // none, dot, general, mlp
  std::string bridge = "dense";       // dense, zero
  double dropout = 0.3;               // on embeddings, between layers and on the attentional output
};

struct ModelConfig {
  EmbeddingConfig embedding;
  EncoderConfig encoder;
  DecoderConfig decoder;
  // f32; bf16: RNNs and matrix products compute in bf16, parameters stay f32; int8 (translation only): the
  // search's decoder steps multiply in 8 bits (decoder/quantized_step.h), the rest (the encoder above all)
  // runs in bf16 on CPUs with bf16 dot products, else in f32.
  std::string precision = "f32";

  // The element type the RNN primitives and matrix products compute in (those outside int8's steps).
  DType compute_type() const;
  // Width of the encoder's outputs: hidden, times two when bidirectional.
  int64_t encoder_output_dim() const { return encoder.hidden * (encoder.bidirectional ? 2 : 1); }
};

// Whether `name` is a precision a trained model runs in (f32, bf16, int8); training takes f32 and bf16.
bool is_precision(const std::string& name);

// Reads and checks the section, including the constraints between keys (ConfigError with file:line).
ModelConfig read_model_config(ConfigReader& model);

}  // namespace ferry
