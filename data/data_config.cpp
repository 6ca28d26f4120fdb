#include "data/data_config.h"

#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

void check_file(ConfigReader& section, const std::string& key, const std::string& path) {
  if (!path.empty() && !file_exists(path)) {
    FERRY_THROW(ConfigError, "key '" << section.path_of(key) << "' at " << section.where(key) << ": '" << path
                                     << (is_folder(path) ? "' is a folder, not a file" : "' not found"));
  }
}

// A section's `text` (a language model's corpus), or its src and tgt; `required`: one or the other.
CorpusPaths read_corpus(ConfigReader& section, bool required, bool check_files) {
  CorpusPaths paths;
  paths.text = section.text("text", "",
                            "a language model's text, plain or .gz, one sentence a line (instead "
                            "of src and tgt)");
  if (!paths.text.empty()) {
    for (const char* key : {"src", "tgt"}) {
      if (section.has(key)) {
        FERRY_THROW(ConfigError, "key '" << section.path_of(key) << "' at " << section.where(key)
                                         << ": give either text (a language model's corpus) or src and tgt");
      }
    }
    if (check_files) check_file(section, "text", paths.text);
    return paths;
  }
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
    check_file(section, "src", paths.src);
    check_file(section, "tgt", paths.tgt);
  }
  return paths;
}

SubwordConfig read_subword(ConfigReader& section, bool required = true) {
  SubwordConfig c;
  const char* help = "SentencePiece model file; trained from the training data if missing";
  c.model = required ? section.required_text("model", help) : section.text("model", "", help);
  c.size = section.integer("size", c.size, 8, 1000000, "vocabulary size when training the model");
  c.type = section.choice("type", c.type, {"unigram", "bpe", "char", "word"}, "SentencePiece model type");
  c.character_coverage = section.real("character_coverage", c.character_coverage, 0.9, 1.0,
                                      "share of characters the model must cover when trained");
  c.sample_sentences =
      section.integer("sample_sentences", c.sample_sentences, 1, 1000000000,
                      "lines the model is trained on: a seeded random sample when the corpus has more");
  return c;
}

}  // namespace

DataConfig read_data_config(ConfigReader& data, bool check_files) {
  DataConfig c;
  ConfigReader train = data.section("train", "training corpus");
  c.train = read_corpus(train, true, check_files);
  ConfigReader valid = data.section("valid", "validation corpus (optional)");
  c.valid = read_corpus(valid, false, check_files);
  if (!c.valid.empty() && c.train.text.empty() != c.valid.text.empty()) {
    const std::string key = c.valid.text.empty() ? "src" : "text";
    FERRY_THROW(ConfigError, "key '" << valid.path_of(key) << "' at " << valid.where(key)
                                     << ": the validation corpus must be of the training corpus's kind ("
                                     << (c.train.text.empty() ? "src and tgt" : "text") << ")");
  }
  c.max_length = data.integer("max_length", c.max_length, 1, 10000,
                              "subword tokens per side; longer training pairs are skipped and counted");
  c.max_pairs = data.integer("max_pairs", c.max_pairs, 0, 1000000000,
                             "read at most this many training pairs (0: all), for quick runs");
  return c;
}

VocabConfig read_vocab_config(ConfigReader& vocab) {
  VocabConfig c;
  // A language model's one vocabulary: vocab.model and its keys, no src or tgt sections.
  const SubwordConfig single = read_subword(vocab, false);
  if (!single.model.empty()) {
    for (const char* key : {"src", "tgt", "joint"}) {
      if (vocab.has(key)) {
        FERRY_THROW(ConfigError, "key '"
                                     << vocab.path_of(key) << "' at " << vocab.where(key)
                                     << ": give either vocab.model (a language model's one vocabulary) or "
                                        "vocab.src and vocab.tgt");
      }
    }
    c.src = c.tgt = single;
    c.single = true;
    return c;
  }
  for (const char* key : {"size", "type", "character_coverage", "sample_sentences"}) {
    if (vocab.has(key)) {
      FERRY_THROW(ConfigError, "key '" << vocab.path_of(key) << "' at " << vocab.where(key)
                                       << ": belongs with vocab.model (a language model's vocabulary); a "
                                          "translation model's goes in vocab.src and vocab.tgt");
    }
  }
  ConfigReader src = vocab.section("src", "source-language subwords");
  c.src = read_subword(src);
  ConfigReader tgt = vocab.section("tgt", "target-language subwords");
  c.tgt = read_subword(tgt);
  c.joint = vocab.boolean("joint", c.joint,
                          "one SentencePiece model trained on both languages serves both sides (src and tgt "
                          "must then give the same model, size, type, coverage and sample)");
  if (!c.joint) return c;
  const std::pair<const char*, bool> same[] = {
      {"model", c.src.model == c.tgt.model},
      {"size", c.src.size == c.tgt.size},
      {"type", c.src.type == c.tgt.type},
      {"character_coverage", c.src.character_coverage == c.tgt.character_coverage},
      {"sample_sentences", c.src.sample_sentences == c.tgt.sample_sentences}};
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
