#include "data/data_config.h"

#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

CorpusPaths read_pair(ConfigReader& section, bool required, bool check_files) {
  CorpusPaths paths;
  if (required) {
    paths.src = section.required_text("src", "source-language file, plain text or .gz, one sentence a line");
    paths.tgt = section.required_text("tgt", "target-language file, line-aligned with src");
  } else {
    paths.src = section.text("src", "", "source-language file, plain text or .gz, one sentence a line");
    paths.tgt = section.text("tgt", "", "target-language file, line-aligned with src");
    if (paths.src.empty() != paths.tgt.empty()) {
      const std::string missing = paths.src.empty() ? "src" : "tgt";
      FERRY_THROW(ConfigError, "key '" << section.path_of(missing) << "' at " << section.where(missing)
                                       << ": is required when the other side is given");
    }
  }
  if (check_files) {
    for (const auto& [key, path] : {std::pair<std::string, std::string>{"src", paths.src}, {"tgt", paths.tgt}}) {
      if (!path.empty() && !file_exists(path)) {
        FERRY_THROW(ConfigError, "key '" << section.path_of(key) << "' at " << section.where(key) << ": '" << path
                                         << (is_folder(path) ? "' is a folder, not a file" : "' not found"));
      }
    }
  }
  return paths;
}

SubwordConfig read_subword(ConfigReader& section) {
  SubwordConfig c;
  c.model = section.required_text("model", "SentencePiece model file; trained from the training data if missing");
  c.size = section.integer("size", c.size, 8, 1000000, "vocabulary size when training the model");
  c.type = section.choice("type", c.type, {"unigram", "bpe", "char", "word"}, "SentencePiece model type");
  c.character_coverage = section.real("character_coverage", c.character_coverage, 0.9, 1.0,
                                      "share of characters the model must cover when trained");
  return c;
}

}  // namespace

DataConfig read_data_config(ConfigReader& data, bool check_files) {
  DataConfig c;
  ConfigReader train = data.section("train", "training corpus");
  c.train = read_pair(train, true, check_files);
  ConfigReader valid = data.section("valid", "validation corpus (optional)");
  c.valid = read_pair(valid, false, check_files);
  c.max_length = data.integer("max_length", c.max_length, 1, 10000,
                              "subword tokens per side; longer training pairs are skipped and counted");
  c.max_pairs = data.integer("max_pairs", c.max_pairs, 0, 1000000000,
                             "read at most this many training pairs (0: all), for quick runs");
  return c;
}

VocabConfig read_vocab_config(ConfigReader& vocab) {
  VocabConfig c;
  ConfigReader src = vocab.section("src", "source-language subwords");
  c.src = read_subword(src);
  ConfigReader tgt = vocab.section("tgt", "target-language subwords");
  c.tgt = read_subword(tgt);
  c.joint = vocab.boolean("joint", c.joint,
                          "one SentencePiece model trained on both languages serves both sides (src and tgt "
                          "must then give the same model, size, type and coverage)");
  if (!c.joint) return c;
  const std::pair<const char*, bool> same[] = {{"model", c.src.model == c.tgt.model},
                                               {"size", c.src.size == c.tgt.size},
                                               {"type", c.src.type == c.tgt.type},
                                               {"character_coverage",
                                                c.src.character_coverage == c.tgt.character_coverage}};
  for (const auto& [key, equal] : same) {
    if (!equal) {
      FERRY_THROW(ConfigError, "key '" << vocab.path_of("joint") << "' at " << vocab.where("joint")
                                       << ": a joint vocabulary is one model, but vocab.src." << key
                                       << " and vocab.tgt." << key << " differ");
    }
  }
  return c;
}

}  // namespace ferry
