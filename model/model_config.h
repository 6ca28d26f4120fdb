// The `model` section: the architecture of the encoder-decoder network. The encoder's and decoder's own
// sections are read by their owners (encoder/encoder_config.h, decoder/decoder_config.h); the constraints
// between them are checked here.
#pragma once

#include <cstdint>

#include "core/precision.h"
#include "decoder/decoder_config.h"
#include "encoder/encoder_config.h"
#include "util/config_reader.h"

namespace ferry {

struct EmbeddingConfig {
  int64_t src_dim = 256;
  int64_t tgt_dim = 256;
  bool tie_target = false;  // output projection shares the target embedding matrix
  // Source embeddings, target embeddings and output projection are one matrix (a joint vocabulary, equal
  // widths); implies tie_target.
  bool tie_all = false;
  // In training, each source and target input word becomes <unk> with this probability.
  double word_dropout = 0.0;
};

// A translation model, or a language model: the decoder alone (no encoder, bridge or attention) over one
// vocabulary, predicting the next token of a text.
enum class ModelType { kSeq2Seq, kLanguageModel };

const char* model_type_name(ModelType type);  // "seq2seq", "lm"

struct ModelConfig {
  ModelType type = ModelType::kSeq2Seq;
  EmbeddingConfig embedding;  // a language model's is the target side's (tgt_dim, tie_target)
  EncoderConfig encoder;  // unused by a language model
  DecoderConfig decoder;
  // f32 or bf16 in training; a trained model also runs in int8 (translate --precision): the decoder's
  // recurrent layers, combine layer and output layer get 8-bit weights, the rest runs at
  // float_precision(kInt8) (core/precision.h).
  Precision precision = Precision::kF32;

  bool language_model() const { return type == ModelType::kLanguageModel; }
};

// Reads and checks the section, including the constraints between keys (ConfigError with file:line).
ModelConfig read_model_config(ConfigReader& model);

}  // namespace ferry
