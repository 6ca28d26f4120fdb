// The `model.encoder` section: the encoder's own config, read and checked once at the config boundary.
#pragma once

#include <cstdint>

#include "core/layers/rnn_cell.h"
#include "util/config_reader.h"

namespace ferry {

struct EncoderConfig {
  CellKind cell = CellKind::kLstm;
  int64_t layers = 2;
  int64_t hidden = 256;  // per direction
  bool bidirectional = true;
  bool residual = false;  // layer k >= 2 adds its input to its output
  double dropout = 0.3;   // on embeddings and between layers
  bool variational = false;  // those dropout masks drawn once per sequence, the same at every step

  // Width of the encoder's outputs: hidden, times two when bidirectional.
  int64_t output_dim() const { return hidden * (bidirectional ? 2 : 1); }
};

// ConfigError with file:line for a bad key.
EncoderConfig read_encoder_config(ConfigReader& encoder);

}  // namespace ferry
