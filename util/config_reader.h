// Checked, typed reading of one config section. Every key is declared where it is read (name, default,
// range or choices, help), so the same declaration validates YAML files and --set overrides and documents
// the defaults (see ConfigCatalog). Errors name the key, the file and the line.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "util/config_source.h"

namespace ferry {

// One declared key: for `--describe-config` and the documentation of defaults.
struct ConfigKeyInfo {
  std::string path;     // "model.encoder.layers"
  std::string kind;     // "integer in [1, 16]", "one of: lstm, gru, rnn", ...
  std::string fallback; // the default as text, or "(required)"
  std::string help;
};

class ConfigReader {
 public:
  // Reads the root of `source`; the source must outlive the reader. A `schema_only` reader is for collecting
  // declarations: missing required keys give "" instead of an error.
  explicit ConfigReader(const ConfigSource& source, bool schema_only = false);

  // A nested section (an empty one when absent); ConfigError if the key holds something other than a mapping.
  ConfigReader section(const std::string& key, const std::string& help);

  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max, const std::string& help);
  double real(const std::string& key, double fallback, double min, double max, const std::string& help);
  bool boolean(const std::string& key, bool fallback, const std::string& help);
  std::string text(const std::string& key, const std::string& fallback, const std::string& help);
  // A string that must be present and non-empty.
  std::string required_text(const std::string& key, const std::string& help);
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices,
                     const std::string& help);

  // Whether the key is present in this section.
  bool has(const std::string& key) const;
  // "file:line" (or the --set that gave it) for a key of this section, for cross-key checks.
  std::string where(const std::string& key) const;
  // The dotted path of a key of this section.
  std::string path_of(const std::string& key) const;

  // Rejects the first key present in the document but never declared, with a did-you-mean suggestion.
  // Call on the root reader after every section was read. Top-level sections named in `skip` are not checked.
  void reject_unknown_keys(const std::set<std::string>& skip = {}) const;

  // Every key declared so far through this reader's tree, in declaration order.
  const std::vector<ConfigKeyInfo>& declared() const;
  // Every key read so far with the value it resolved to (given or default), as text: for comparing configs.
  const std::map<std::string, std::string>& resolved() const;

  // Takes over the declarations of another reader (e.g. a schema_only pass), so that unknown keys can be
  // rejected before any value is read.
  void learn_keys(const ConfigReader& schema);

 private:
  struct Shared;
  ConfigReader(std::shared_ptr<Shared> shared, YAML::Node node, std::string path);
  YAML::Node lookup(const std::string& key) const;
  YAML::Node key_node(const std::string& key) const;
  // Whether the key is present; ConfigError if it is present without a value.
  bool given(const std::string& key) const;
  void declare(const std::string& key, const std::string& kind, const std::string& fallback, const std::string& help);
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  std::shared_ptr<Shared> shared_;
  YAML::Node node_;
  std::string path_;  // "" for the root, else "model.encoder"
};

// Levenshtein distance, for suggestions.
size_t edit_distance(const std::string& a, const std::string& b);
// The candidate closest to `word` if it is close enough to be a plausible typo, else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ferry
