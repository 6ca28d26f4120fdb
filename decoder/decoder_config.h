// The `model.decoder` section: the decoder's own config (recurrence, attention, bridge), read and checked
// once at the config boundary.
#pragma once

#include <cstdint>
#include <string>

#include "core/layers/rnn_cell.h"
#include "util/config_reader.h"

namespace ferry {

// How decoder states score encoder states (see attention.h); kNone: no attention, the decoder sees the
// source only through its initial state.
enum class AttentionKind { kNone, kDot, kGeneral, kMlp };
// How the decoder's initial state is made (see bridge.h).
enum class BridgeKind { kDense, kZero };

const char* attention_name(AttentionKind kind);  // "none", "dot", "general", "mlp"
const char* bridge_name(BridgeKind kind);        // "dense", "zero"
// InputError listing the choices for any other name.
AttentionKind parse_attention(const std::string& name);
BridgeKind parse_bridge(const std::string& name);

struct DecoderConfig {
  CellKind cell = CellKind::kLstm;
  int64_t layers = 2;
  int64_t hidden = 512;
  AttentionKind attention = AttentionKind::kGeneral;
  BridgeKind bridge = BridgeKind::kDense;
  double dropout = 0.3;      // on embeddings, between layers and on the attentional output
  bool variational = false;  // the embedding and between-layer masks drawn once per sequence
  // Luong's input feeding: each step's attentional output joins the next step's input to the first layer.
  bool input_feeding = false;
  // Recurrent (hidden-to-hidden) dropout: the state each layer passes from step to step is multiplied by a
  // mask drawn once per sentence and layer (Gal and Ghahramani); LSTM and tanh RNN cells, f32.
  double recurrent_dropout = 0.0;
  // Whether training runs the decoder one step at a time.
  bool stepwise_training() const { return input_feeding || recurrent_dropout > 0.0; }
};

// ConfigError with file:line for a bad key, for attention none with bridge zero (a decoder that never
// sees the source), for input feeding without attention (nothing to feed but the state itself) and for
// recurrent dropout with a GRU (whose previous state also enters its output directly). With
// `has_source` false (a language model), attention and bridge are none and zero: other values are refused.
DecoderConfig read_decoder_config(ConfigReader& decoder, bool has_source = true);

}  // namespace ferry
