#include "train/run_config.h"

#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace ferry {
namespace {

std::string config_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    ConfigSource source = ConfigSource::parse(yaml, "run.yaml");
    for (const auto& o : overrides) source.apply_override(o);
    read_run_config(source, false);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal =
    "data:\n"
    "  train: {src: a.de, tgt: a.en}\n"
    "vocab:\n"
    "  src: {model: s.model}\n"
    "  tgt: {model: t.model}\n";

TEST(RunConfig, ShippedConfigsAreValid) {
  for (const char* name :
       {"configs/de-en.yaml", "configs/tiny.yaml", "configs/lm-en.yaml", "configs/lm-en-rnn.yaml"}) {
    const RunConfig c = load_run_config(source_dir() + "/" + name, {}, false);
    EXPECT_FALSE(c.yaml.empty()) << name;
  }
  const RunConfig c = load_run_config(source_dir() + "/configs/de-en.yaml", {}, false);
  EXPECT_EQ(c.vocab.src.size, 8000);
  EXPECT_EQ(c.model.encoder.layers, 2);
  EXPECT_EQ(c.model.encoder.hidden, 256);
  EXPECT_TRUE(c.model.encoder.bidirectional);
  EXPECT_EQ(c.model.decoder.hidden, 512);
  EXPECT_EQ(c.model.decoder.attention, AttentionKind::kMlp);
  EXPECT_DOUBLE_EQ(c.model.decoder.dropout, 0.3);
  EXPECT_DOUBLE_EQ(c.training.label_smoothing, 0.1);
  EXPECT_DOUBLE_EQ(c.training.optimizer.lr, 0.001);
  EXPECT_DOUBLE_EQ(c.training.clip_norm, 1.0);
}

const char* kMinimalLanguageModel =
    "data:\n"
    "  train: {text: a.en}\n"
    "vocab: {model: t.model}\n"
    "model: {type: lm}\n"
    "training: {early_stopping: {metric: ppl}}\n";

TEST(RunConfig, LanguageModel) {
  ConfigSource source = ConfigSource::parse(kMinimalLanguageModel, "lm.yaml");
  const RunConfig c = read_run_config(source, false);
  EXPECT_TRUE(c.model.language_model());
  EXPECT_EQ(c.data.train.text, "a.en");
  EXPECT_TRUE(c.vocab.single);
  EXPECT_EQ(c.vocab.src.model, "t.model");
  EXPECT_EQ(c.vocab.tgt.model, "t.model");
  EXPECT_EQ(c.model.decoder.attention, AttentionKind::kNone);
  EXPECT_EQ(c.model.decoder.bridge, BridgeKind::kZero);
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"model.decoder.attention=none", "model.decoder.bridge=zero"}), "");

  const RunConfig shipped = load_run_config(source_dir() + "/configs/lm-en.yaml", {}, false);
  EXPECT_TRUE(shipped.model.language_model());
  EXPECT_TRUE(shipped.model.embedding.tie_target);
}

TEST(RunConfig, LanguageModelKeysAreNotMixedWithTranslationKeys) {
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"model.type=seq2seq"}),
      "key 'model.type' in run.yaml:4: a translation model (model.type: seq2seq) trains on data.train.src "
      "and data.train.tgt with vocab.src and vocab.tgt; set model.type: lm for a language model");
  EXPECT_EQ(config_error(kMinimal, {"model.type=lm", "training.early_stopping.metric=ppl"}),
            "key 'model.type' in run.yaml: a language model (model.type: lm) trains on "
            "data.train.text with one vocabulary, vocab.model");
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"training.early_stopping.metric=bleu"}),
      "key 'training.early_stopping.metric' in run.yaml:5: a language model is validated by perplexity: "
      "set it to ppl");
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"data.train.src=a.de"}),
      "key 'data.train.src' at --set data.train.src=a.de: give either text (a language model's corpus) or "
      "src and tgt");
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"data.valid.src=v.de", "data.valid.tgt=v.en"}),
      "key 'data.valid.src' at --set data.valid.src=v.de: the validation corpus must be of the training "
      "corpus's kind (text)");
  EXPECT_EQ(config_error(kMinimalLanguageModel, {"vocab.src.model=s.model"}),
            "key 'vocab.src' at run.yaml: give either vocab.model (a language model's one "
            "vocabulary) or vocab.src and vocab.tgt");
  EXPECT_EQ(
      config_error(kMinimal, {"vocab.size=300"}),
      "key 'vocab.size' at --set vocab.size=300: belongs with vocab.model (a language model's vocabulary); "
      "a translation model's goes in vocab.src and vocab.tgt");
  EXPECT_EQ(config_error(kMinimalLanguageModel, {"model.decoder.attention=general"}),
            "key 'model.decoder.attention' at --set model.decoder.attention=general: a language model has no "
            "source to attend to or start from; leave the key out");
  EXPECT_EQ(
      config_error(kMinimalLanguageModel, {"model.decoder.input_feeding=true"}),
      "key 'model.decoder.input_feeding' at --set model.decoder.input_feeding=true: a language model has "
      "no source to attend to or start from; leave the key out");
  EXPECT_EQ(config_error(kMinimalLanguageModel, {"training.bptt=35"}), "");
  EXPECT_EQ(config_error(kMinimal, {"training.bptt=35"}),
            "key 'training.bptt' at --set training.bptt=35: truncated backpropagation through time trains a "
            "language model (model.type: lm); a translation model trains on sentence pairs: leave the key "
            "out");
}

TEST(RunConfig, MinimalConfigTakesDefaults) {
  const RunConfig c = read_run_config(ConfigSource::parse(kMinimal, "run.yaml"), false);
  EXPECT_EQ(c.data.train.src, "a.de");
  EXPECT_TRUE(c.data.valid.empty());
  EXPECT_EQ(c.training.batch_tokens, 1000);
  EXPECT_EQ(c.decoding.beam_size, 5);
  EXPECT_EQ(c.model.decoder.cell, CellKind::kLstm);
}

TEST(RunConfig, UnknownKeyBeatsMissingRequiredKey) {
  // The typo explains the missing key: report the typo.
  EXPECT_EQ(config_error("data:\n  train: {src: a, tgt: b}\nvocab:\n  src: {modle: s}\n  tgt: {model: t}\n"),
            "unknown key 'vocab.src.modle' at run.yaml:4; did you mean 'vocab.src.model'?");
}

TEST(RunConfig, MissingRequiredKeys) {
  EXPECT_EQ(config_error("vocab:\n  src: {model: s}\n  tgt: {model: t}\n"),
            "key 'data.train.src' at run.yaml: is required but missing");
  EXPECT_EQ(
      config_error("data:\n  train: {src: a, tgt: b}\n  valid: {src: c}\nvocab:\n  src: {model: s}\n  tgt: "
                   "{model: t}\n"),
      "key 'data.valid.tgt' at run.yaml:3: is required when the other side is given");
}

TEST(RunConfig, CrossKeyChecks) {
  EXPECT_EQ(config_error(kMinimal, {"model.embedding.tie_target=true"}),
            "key 'model.embedding.tie_target' at --set model.embedding.tie_target=true: tying needs "
            "embedding.tgt_dim (256) equal to decoder.hidden (512)");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.attention=dot", "model.decoder.hidden=400"}),
            "key 'model.decoder.attention' at --set model.decoder.attention=dot: dot attention needs "
            "decoder.hidden (400) equal to the encoder's output width (512)");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.attention=dot"}), "");
  EXPECT_EQ(
      config_error(kMinimal, {"model.decoder.attention=none", "model.decoder.bridge=zero"}),
      "key 'model.decoder.bridge' at --set model.decoder.bridge=zero: bridge zero with attention none gives "
      "a decoder that never sees the source; use bridge dense or an attention");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.attention=none"}), "");
  EXPECT_EQ(
      config_error(kMinimal, {"model.decoder.attention=none", "model.decoder.input_feeding=true"}),
      "key 'model.decoder.input_feeding' at --set model.decoder.input_feeding=true: input feeding needs an "
      "attention (with attention none the attentional output is the state itself)");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.input_feeding=true"}), "");
}

TEST(RunConfig, RecurrentDropoutNeedsAnLstmOrRnnCellInF32WithoutBptt) {
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.recurrent_dropout=0.3"}), "");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.recurrent_dropout=0.3", "model.decoder.cell=rnn"}), "");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.recurrent_dropout=0.3", "model.decoder.cell=gru"}),
            "key 'model.decoder.recurrent_dropout' at --set model.decoder.recurrent_dropout=0.3: recurrent "
            "dropout needs cell lstm or rnn (a GRU's previous state also enters its output directly, which a "
            "mask would drop)");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.recurrent_dropout=0.3", "model.precision=bf16"}),
            "key 'model.decoder.recurrent_dropout' at --set model.decoder.recurrent_dropout=0.3: recurrent "
            "dropout trains in f32; set model.precision: f32 (a model trained in f32 still translates in "
            "bf16 or int8)");
  EXPECT_EQ(config_error(kMinimalLanguageModel, {"model.decoder.recurrent_dropout=0.3"}), "");
  EXPECT_NE(config_error(kMinimalLanguageModel, {"model.decoder.recurrent_dropout=0.3", "training.bptt=35"})
                .find("recurrent dropout runs the decoder step by step"),
            std::string::npos);
  EXPECT_NE(config_error(kMinimal, {"model.decoder.recurrent_dropout=0.95"}), "");
}

TEST(RunConfig, JointVocabularyAndOneEmbeddingMatrix) {
  const std::vector<std::string> joint = {"vocab.joint=true", "vocab.tgt.model=s.model"};
  EXPECT_EQ(config_error(kMinimal, joint), "");
  // Both sides as one YAML anchor, as the README suggests.
  EXPECT_EQ(config_error("data:\n"
                         "  train: {src: a.de, tgt: a.en}\n"
                         "vocab:\n"
                         "  joint: true\n"
                         "  src: &joint {model: j.model, size: 9000}\n"
                         "  tgt: *joint\n"),
            "");
  EXPECT_EQ(
      config_error(kMinimal, {"vocab.joint=true"}),
      "key 'vocab.joint' at --set vocab.joint=true: a joint vocabulary is one model, but vocab.src.model and "
      "vocab.tgt.model differ");
  EXPECT_EQ(
      config_error(kMinimal, {"vocab.joint=true", "vocab.tgt.model=s.model", "vocab.tgt.size=500"}),
      "key 'vocab.joint' at --set vocab.joint=true: a joint vocabulary is one model, but vocab.src.size and "
      "vocab.tgt.size differ");
  std::vector<std::string> tied = joint;
  tied.push_back("model.embedding.tie_all=true");
  EXPECT_EQ(
      config_error(kMinimal, tied),
      "key 'model.embedding.tie_all' at --set model.embedding.tie_all=true: one matrix for both embeddings "
      "and the output needs embedding.src_dim (256), embedding.tgt_dim (256) and decoder.hidden (512) equal");
  for (const char* width : {"model.embedding.src_dim=512", "model.embedding.tgt_dim=512"})
    tied.push_back(width);
  EXPECT_EQ(config_error(kMinimal, tied), "");
  std::vector<std::string> separate = {"model.embedding.tie_all=true", "model.embedding.src_dim=512",
                                       "model.embedding.tgt_dim=512"};
  const std::string error = config_error(kMinimal, separate);
  EXPECT_NE(error.find("key 'model.embedding.tie_all'"), std::string::npos) << error;
  EXPECT_NE(error.find("set vocab.joint: true"), std::string::npos) << error;
}

TEST(RunConfig, BadOverridesAndValues) {
  EXPECT_EQ(config_error(kMinimal, {"training.max_steps=-1"}),
            "key 'training.max_steps' at --set training.max_steps=-1: must be in [0, 2147483647], got -1");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.cell=rnn"}), "");
  EXPECT_EQ(config_error(kMinimal, {"model.decoder.cell=tanh"}),
            "key 'model.decoder.cell' at --set model.decoder.cell=tanh: must be one of: lstm, gru, rnn; got "
            "'tanh'");
  EXPECT_EQ(
      config_error(kMinimal, {"training.optimizer.name=adma"}),
      "key 'training.optimizer.name' at --set training.optimizer.name=adma: must be one of: adam, sgd; got "
      "'adma'; did you mean 'adam'?");
  EXPECT_EQ(config_error(std::string(kMinimal) + "training:\n  seed: one\n"),
            "key 'training.seed' at run.yaml:7: must be an integer, got 'one'");
}

// The error of reading a config whose training source file is `src`, with files checked.
std::string corpus_file_error(const TempDir& dir, const std::string& src) {
  const std::string yaml = "data:\n  train: {src: " + src + ", tgt: " + dir.path("none.en") +
                           "}\nvocab:\n  src: {model: s}\n  tgt: {model: t}\n";
  try {
    read_run_config(ConfigSource::parse(yaml, "run.yaml"), true);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RunConfig, MissingOrFolderCorpusFileWhenChecked) {
  TempDir dir;
  EXPECT_EQ(corpus_file_error(dir, dir.path("none.de")),
            "key 'data.train.src' at run.yaml:2: '" + dir.path("none.de") + "' not found");
  EXPECT_EQ(corpus_file_error(dir, dir.path("")),
            "key 'data.train.src' at run.yaml:2: '" + dir.path("") + "' is a folder, not a file");
}

TEST(RunConfig, DescribeListsEveryKeyWithDefault) {
  const std::string text = describe_config_keys();
  for (const char* key :
       {"data.train.src", "vocab.tgt.size", "model.encoder.layers", "model.decoder.attention",
        "training.optimizer.lr", "training.early_stopping.metric", "decoding.beam_size"}) {
    EXPECT_NE(text.find(key), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

TEST(RunConfig, IncompatibleChangesNameTheKeys) {
  const auto read = [](const std::vector<std::string>& overrides) {
    ConfigSource source = ConfigSource::parse(kMinimal, "run.yaml");
    for (const auto& o : overrides) source.apply_override(o);
    return read_run_config(source, false);
  };
  const RunConfig base = read({});
  EXPECT_TRUE(incompatible_changes(base, read({"training.max_steps=5", "training.log_every=3",
                                               "training.validate_every=7", "decoding.beam_size=2"}))
                  .empty());
  EXPECT_TRUE(
      incompatible_changes(base, read({"model.encoder.layers=2"})).empty());  // the default, spelled out
  EXPECT_EQ(
      incompatible_changes(base, read({"model.encoder.layers=3", "training.optimizer.lr=0.01"})),
      (std::vector<std::string>{"model.encoder.layers: 2 -> 3", "training.optimizer.lr: 0.001 -> 0.01"}));
  EXPECT_EQ(incompatible_changes(base, read({"data.train.src=b.de"})),
            (std::vector<std::string>{"data.train.src: a.de -> b.de"}));
  // The best value so far is in the metric's units; the patience may change.
  EXPECT_EQ(incompatible_changes(base, read({"training.early_stopping.metric=ppl"})),
            (std::vector<std::string>{"training.early_stopping.metric: bleu -> ppl"}));
  EXPECT_TRUE(incompatible_changes(base, read({"training.early_stopping.patience=9"})).empty());
  // A stream's batches and carried state depend on the steps per batch.
  const auto read_lm = [](const std::string& bptt) {
    ConfigSource source = ConfigSource::parse(kMinimalLanguageModel, "lm.yaml");
    source.apply_override("training.bptt=" + bptt);
    return read_run_config(source, false);
  };
  EXPECT_EQ(incompatible_changes(read_lm("35"), read_lm("20")),
            (std::vector<std::string>{"training.bptt: 35 -> 20"}));
}

}  // namespace
}  // namespace ferry
