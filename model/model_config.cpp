#include "model/model_config.h"

#include <algorithm>

#include "core/context.h"
#include "util/error.h"

namespace ferry {
namespace {

const std::vector<std::string> kTrainingPrecisions = {"f32", "bf16"};
// int8 serves translation only: its products have no backward pass.
const std::vector<std::string> kPrecisions = {"f32", "bf16", "int8"};

}  // namespace

DType ModelConfig::compute_type() const {
  if (precision == "bf16") return DType::kBF16;
  if (precision == "int8" && Context::has_bf16_dot_products()) return DType::kBF16;
  return DType::kF32;
}

bool is_precision(const std::string& name) {
  return std::find(kPrecisions.begin(), kPrecisions.end(), name) != kPrecisions.end();
}

ModelConfig read_model_config(ConfigReader& model) {
  ModelConfig c;
  ConfigReader embedding = model.section("embedding", "word embeddings");
  c.embedding.src_dim = embedding.integer("src_dim", c.embedding.src_dim, 1, 65536, "source embedding width");
  c.embedding.tgt_dim = embedding.integer("tgt_dim", c.embedding.tgt_dim, 1, 65536, "target embedding width");
  c.embedding.tie_target = embedding.boolean("tie_target", c.embedding.tie_target,
                                             "output projection shares the target embeddings (tgt_dim must equal "
                                             "decoder.hidden)");

  ConfigReader encoder = model.section("encoder", "the encoder");
  c.encoder.cell = encoder.choice("cell", c.encoder.cell, {"lstm", "gru", "rnn"}, "recurrent cell");
  c.encoder.layers = encoder.integer("layers", c.encoder.layers, 1, 16, "stacked layers");
  c.encoder.hidden = encoder.integer("hidden", c.encoder.hidden, 1, 65536, "state width per direction");
  c.encoder.bidirectional = encoder.boolean("bidirectional", c.encoder.bidirectional,
                                            "each layer reads the sentence both ways");
  c.encoder.residual = encoder.boolean("residual", c.encoder.residual, "residual connections from layer 2 on");
  c.encoder.dropout = encoder.real("dropout", c.encoder.dropout, 0.0, 0.9, "dropout on embeddings and between layers");

  ConfigReader decoder = model.section("decoder", "the decoder");
  c.decoder.cell = decoder.choice("cell", c.decoder.cell, {"lstm", "gru"}, "recurrent cell");
  c.decoder.layers = decoder.integer("layers", c.decoder.layers, 1, 16, "stacked layers");
  c.decoder.hidden = decoder.integer("hidden", c.decoder.hidden, 1, 65536, "state width");
  c.decoder.attention = decoder.choice("attention", c.decoder.attention, {"none", "dot", "general", "mlp"},
                                       "attention over the encoder states (Luong dot/general, Bahdanau-style mlp)");
  c.decoder.bridge = decoder.choice("bridge", c.decoder.bridge, {"dense", "zero"},
                                    "initial decoder state: dense layers over the encoder's final states, or zeros");
  c.decoder.dropout = decoder.real("dropout", c.decoder.dropout, 0.0, 0.9,
                                   "dropout on embeddings, between layers and on the attentional output");

  c.precision = model.choice("precision", c.precision, kTrainingPrecisions,
                             "what the RNNs and matrix products compute in; parameters, gradients and the "
                             "optimizer stay f32 (bf16 needs a CPU with AVX512-BF16 to be fast)");

  if (c.embedding.tie_target && c.embedding.tgt_dim != c.decoder.hidden) {
    FERRY_THROW(ConfigError, "key '" << embedding.path_of("tie_target") << "' at " << embedding.where("tie_target")
                                     << ": tying needs embedding.tgt_dim (" << c.embedding.tgt_dim
                                     << ") equal to decoder.hidden (" << c.decoder.hidden << ")");
  }
  if (c.decoder.attention == "dot" && c.decoder.hidden != c.encoder_output_dim()) {
    FERRY_THROW(ConfigError, "key '" << decoder.path_of("attention") << "' at " << decoder.where("attention")
                                     << ": dot attention needs decoder.hidden (" << c.decoder.hidden
                                     << ") equal to the encoder's output width (" << c.encoder_output_dim() << ")");
  }
  return c;
}

}  // namespace ferry
