#include "train/run_config.h"

#include <iomanip>
#include <sstream>

#include "util/config_reader.h"
#include "util/error.h"

namespace ferry {
namespace {

RunConfig read_sections(ConfigReader& root, bool check_files) {
  RunConfig c;
  ConfigReader data = root.section("data", "corpora");
  c.data = read_data_config(data, check_files);
  ConfigReader vocab = root.section("vocab", "subword vocabularies");
  c.vocab = read_vocab_config(vocab);
  ConfigReader model = root.section("model", "the network");
  c.model = read_model_config(model);
  ConfigReader training = root.section("training", "the training run");
  c.training = read_train_config(training);
  ConfigReader decoding = root.section("decoding", "translation search");
  c.decoding = read_decode_config(decoding);
  const bool text = !c.data.train.text.empty();
  if (c.model.language_model() != text || c.model.language_model() != c.vocab.single) {
    FERRY_THROW(ConfigError, "key 'model.type' in "
                                 << root.where("model") << ": "
                                 << (c.model.language_model()
                                         ? "a language model (model.type: lm) trains on data.train.text "
                                           "with one vocabulary, vocab.model"
                                         : "a translation model (model.type: seq2seq) trains on "
                                           "data.train.src and data.train.tgt with vocab.src and "
                                           "vocab.tgt; set model.type: lm for a language model"));
  }
  if (c.model.language_model() && c.training.early_stopping.metric != "ppl") {
    FERRY_THROW(ConfigError, "key 'training.early_stopping.metric' in "
                                 << root.where("training")
                                 << ": a language model is validated by perplexity: set it to ppl");
  }
  if (c.training.bptt > 0 && !c.model.language_model()) {
    FERRY_THROW(ConfigError, "key 'training.bptt' at "
                                 << training.where("bptt")
                                 << ": truncated backpropagation through time trains a language model "
                                    "(model.type: lm); a translation model trains on sentence pairs: leave "
                                    "the key out");
  }
  if (c.training.bptt > 0 && c.model.decoder.recurrent_dropout > 0.0) {
    FERRY_THROW(ConfigError, "key 'model.decoder.recurrent_dropout' in "
                                 << root.where("model")
                                 << ": recurrent dropout runs the decoder step by step, which does not carry "
                                    "its state between batches as training.bptt needs; use one of the two");
  }
  if (c.model.embedding.tie_all && !c.vocab.joint) {
    FERRY_THROW(ConfigError, "key 'model.embedding.tie_all' in "
                                 << root.where("model")
                                 << ": one embedding matrix for both sides needs "
                                    "one vocabulary: set vocab.joint: true");
  }
  return c;
}

}  // namespace

RunConfig read_run_config(const ConfigSource& source, bool check_files) {
  // Unknown keys are rejected before any value is read: a typo is a better explanation than the error
  // (say, a missing required key) it causes elsewhere.
  const ConfigSource empty = ConfigSource::parse("{}", source.name());
  ConfigReader schema(empty, true);
  read_sections(schema, false);
  ConfigReader root(source);
  root.learn_keys(schema);
  root.reject_unknown_keys();
  RunConfig c = read_sections(root, check_files);
  c.yaml = source.dump();
  c.values = root.resolved();
  return c;
}

RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides,
                          bool check_files) {
  ConfigSource source = ConfigSource::load_file(path);
  for (const auto& assignment : overrides) source.apply_override(assignment);
  return read_run_config(source, check_files);
}

std::vector<std::string> incompatible_changes(const RunConfig& saved, const RunConfig& current) {
  const auto fixed = [](const std::string& key) {
    for (const char* prefix : {"data.", "vocab.", "model.", "training.optimizer.", "training.schedule."}) {
      if (key.rfind(prefix, 0) == 0) return true;
    }
    // The early-stopping metric too: the best value so far is in its units.
    for (const char* exact :
         {"training.seed", "training.batch_tokens", "training.bptt", "training.clip_norm",
          "training.label_smoothing", "training.ema_decay", "training.early_stopping.metric"}) {
      if (key == exact) return true;
    }
    return false;
  };
  std::vector<std::string> changes;
  for (const auto& [key, value] : current.values) {
    if (!fixed(key)) continue;
    auto it = saved.values.find(key);
    const std::string before = it == saved.values.end() ? "(absent)" : it->second;
    if (before != value) changes.push_back(key + ": " + before + " -> " + value);
  }
  return changes;
}

std::string describe_config_keys() {
  const ConfigSource empty = ConfigSource::parse("{}", "(defaults)");
  ConfigReader root(empty, true);
  read_sections(root, false);
  std::ostringstream out;
  for (const auto& key : root.declared()) {
    if (key.kind == "section") {
      out << "\n" << key.path << ":  " << key.help << "\n";
      continue;
    }
    out << "  " << std::left << std::setw(38) << key.path << " " << std::setw(12) << key.fallback << " "
        << key.help << " (" << key.kind << ")\n";
  }
  return out.str();
}

}  // namespace ferry
