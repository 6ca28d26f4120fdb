#include "model/model_config.h"

#include "util/error.h"

namespace ferry {

const char* model_type_name(ModelType type) { return type == ModelType::kLanguageModel ? "lm" : "seq2seq"; }

ModelConfig read_model_config(ConfigReader& model) {
  ModelConfig c;
  c.type = model.choice("type", model_type_name(c.type), {"seq2seq", "lm"},
                        "seq2seq: a translation model; lm: a language model (the decoder alone, trained on "
                        "data.train.text)") == "lm"
               ? ModelType::kLanguageModel
               : ModelType::kSeq2Seq;
  ConfigReader embedding = model.section("embedding", "word embeddings");
  c.embedding.src_dim = embedding.integer("src_dim", c.embedding.src_dim, 1, 65536, "source embedding width");
  c.embedding.tgt_dim = embedding.integer("tgt_dim", c.embedding.tgt_dim, 1, 65536, "target embedding width");
  c.embedding.tie_target =
      embedding.boolean("tie_target", c.embedding.tie_target,
                        "output projection shares the target embeddings (tgt_dim must equal "
                        "decoder.hidden)");
  c.embedding.word_dropout = embedding.real("word_dropout", c.embedding.word_dropout, 0.0, 0.9,
                                            "in training, each source and target input word becomes <unk> "
                                            "with this probability");
  c.embedding.tie_all =
      embedding.boolean("tie_all", c.embedding.tie_all,
                        "source embeddings, target embeddings and the output projection are "
                        "one matrix (needs vocab.joint and src_dim = tgt_dim = "
                        "decoder.hidden)");

  ConfigReader encoder = model.section("encoder", "the encoder");
  c.encoder = read_encoder_config(encoder);
  ConfigReader decoder = model.section("decoder", "the decoder");
  c.decoder = read_decoder_config(decoder, !c.language_model());

  // int8 serves translation only: its products have no backward pass.
  c.precision = parse_precision(model.choice("precision", precision_name(c.precision), {"f32", "bf16"},
                                             "what the RNNs and matrix products compute in; parameters, "
                                             "gradients and the optimizer stay f32 (bf16 needs a CPU with "
                                             "AVX512-BF16 to be fast)"));

  if (c.decoder.recurrent_dropout > 0.0 && c.precision != Precision::kF32) {
    FERRY_THROW(ConfigError, "key '" << decoder.path_of("recurrent_dropout") << "' at "
                                     << decoder.where("recurrent_dropout")
                                     << ": recurrent dropout trains in f32; set model.precision: f32 (a model "
                                        "trained in f32 still translates in bf16 or int8)");
  }
  if (c.embedding.tie_all &&
      (c.embedding.src_dim != c.embedding.tgt_dim || c.embedding.tgt_dim != c.decoder.hidden)) {
    FERRY_THROW(ConfigError,
                "key '" << embedding.path_of("tie_all") << "' at " << embedding.where("tie_all")
                        << ": one matrix for both embeddings and the output needs embedding.src_dim ("
                        << c.embedding.src_dim << "), embedding.tgt_dim (" << c.embedding.tgt_dim
                        << ") and decoder.hidden (" << c.decoder.hidden << ") equal");
  }
  if (c.language_model() && c.embedding.tie_all) {
    FERRY_THROW(ConfigError,
                "key '" << embedding.path_of("tie_all") << "' at " << embedding.where("tie_all")
                        << ": a language model has no source embeddings to share; use tie_target");
  }
  if (c.embedding.tie_all) c.embedding.tie_target = true;
  if (c.embedding.tie_target && c.embedding.tgt_dim != c.decoder.hidden) {
    FERRY_THROW(ConfigError, "key '" << embedding.path_of("tie_target") << "' at "
                                     << embedding.where("tie_target") << ": tying needs embedding.tgt_dim ("
                                     << c.embedding.tgt_dim << ") equal to decoder.hidden ("
                                     << c.decoder.hidden << ")");
  }
  if (!c.language_model() && c.decoder.attention == AttentionKind::kDot &&
      c.decoder.hidden != c.encoder.output_dim()) {
    FERRY_THROW(ConfigError, "key '" << decoder.path_of("attention") << "' at " << decoder.where("attention")
                                     << ": dot attention needs decoder.hidden (" << c.decoder.hidden
                                     << ") equal to the encoder's output width (" << c.encoder.output_dim()
                                     << ")");
  }
  return c;
}

}  // namespace ferry
