#include "decoder/decoder_config.h"

#include <utility>

#include "util/error.h"

namespace ferry {
namespace {

constexpr AttentionKind kAttentionKinds[] = {AttentionKind::kNone, AttentionKind::kDot,
                                             AttentionKind::kGeneral, AttentionKind::kMlp};
constexpr BridgeKind kBridgeKinds[] = {BridgeKind::kDense, BridgeKind::kZero};

}  // namespace

const char* attention_name(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::kNone:
      return "none";
    case AttentionKind::kDot:
      return "dot";
    case AttentionKind::kGeneral:
      return "general";
    case AttentionKind::kMlp:
      return "mlp";
  }
  FERRY_THROW(InternalError, "unknown attention kind " << static_cast<int>(kind));
}

const char* bridge_name(BridgeKind kind) {
  switch (kind) {
    case BridgeKind::kDense:
      return "dense";
    case BridgeKind::kZero:
      return "zero";
  }
  FERRY_THROW(InternalError, "unknown bridge kind " << static_cast<int>(kind));
}

AttentionKind parse_attention(const std::string& name) {
  for (const AttentionKind kind : kAttentionKinds)
    if (name == attention_name(kind)) return kind;
  FERRY_THROW(InputError, "unknown attention '" << name << "' (choose none, dot, general or mlp)");
}

BridgeKind parse_bridge(const std::string& name) {
  for (const BridgeKind kind : kBridgeKinds)
    if (name == bridge_name(kind)) return kind;
  FERRY_THROW(InputError, "unknown bridge '" << name << "' (choose dense or zero)");
}

DecoderConfig read_decoder_config(ConfigReader& decoder, bool has_source) {
  DecoderConfig c;
  c.cell = parse_cell(decoder.choice("cell", cell_name(c.cell), {"lstm", "gru", "rnn"},
                                     "recurrent cell (rnn: the vanilla tanh cell)"));
  c.layers = decoder.integer("layers", c.layers, 1, 16, "stacked layers");
  c.hidden = decoder.integer("hidden", c.hidden, 1, 65536, "state width");
  c.attention = parse_attention(decoder.choice("attention", attention_name(c.attention),
                                               {"none", "dot", "general", "mlp"},
                                               "attention over the encoder states (Luong dot/general, "
                                               "Bahdanau-style mlp)"));
  c.bridge =
      parse_bridge(decoder.choice("bridge", bridge_name(c.bridge), {"dense", "zero"},
                                  "initial decoder state: dense layers over the encoder's final states, "
                                  "or zeros"));
  c.dropout = decoder.real("dropout", c.dropout, 0.0, 0.9,
                           "dropout on embeddings, between layers and on the attentional output");
  c.variational = decoder.boolean("variational_dropout", c.variational,
                                  "draw the embedding and between-layer dropout masks once per sentence, the "
                                  "same at every step");
  c.input_feeding = decoder.boolean("input_feeding", c.input_feeding,
                                    "feed each step's attentional output into the next step (Luong); the "
                                    "decoder then runs step by step in training too");
  c.recurrent_dropout =
      decoder.real("recurrent_dropout", c.recurrent_dropout, 0.0, 0.9,
                   "recurrent dropout: the state passed from step to step multiplied by a mask drawn once per "
                   "sentence and layer (lstm and rnn cells, f32); the decoder then runs step by step in "
                   "training");
  if (c.recurrent_dropout > 0.0 && c.cell == CellKind::kGru) {
    FERRY_THROW(ConfigError, "key '" << decoder.path_of("recurrent_dropout") << "' at "
                                     << decoder.where("recurrent_dropout")
                                     << ": recurrent dropout needs cell lstm or rnn (a GRU's previous state "
                                        "also enters its output directly, which a mask would drop)");
  }
  if (!has_source) {
    for (const auto& [key, fine] :
         {std::pair<const char*, bool>{"attention", c.attention == AttentionKind::kNone},
          {"bridge", c.bridge == BridgeKind::kZero},
          {"input_feeding", !c.input_feeding}}) {
      if (decoder.has(key) && !fine) {
        FERRY_THROW(ConfigError, "key '" << decoder.path_of(key) << "' at " << decoder.where(key)
                                         << ": a language model has no source to attend to or start from; "
                                            "leave the key out");
      }
    }
    c.attention = AttentionKind::kNone;
    c.bridge = BridgeKind::kZero;
    c.input_feeding = false;
    return c;
  }
  if (c.attention == AttentionKind::kNone && c.bridge == BridgeKind::kZero) {
    FERRY_THROW(ConfigError,
                "key '" << decoder.path_of("bridge") << "' at " << decoder.where("bridge")
                        << ": bridge zero with attention none gives a decoder that never sees the "
                           "source; use bridge dense or an attention");
  }
  if (c.input_feeding && c.attention == AttentionKind::kNone) {
    FERRY_THROW(ConfigError,
                "key '" << decoder.path_of("input_feeding") << "' at " << decoder.where("input_feeding")
                        << ": input feeding needs an attention (with attention none the attentional "
                           "output is the state itself)");
  }
  return c;
}

}  // namespace ferry
