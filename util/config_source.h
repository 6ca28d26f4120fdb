// A YAML config document plus `--set key.path=value` overrides, remembering where every key came from.
#pragma once

#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

namespace ferry {

class ConfigSource {
 public:
  // Reads and parses a YAML file; ConfigError if it is missing or not valid YAML (with file:line).
  static ConfigSource load_file(const std::string& path);
  // Parses YAML text; `name` stands for the file in messages.
  static ConfigSource parse(const std::string& text, const std::string& name);

  // Applies "section.key=value" (value in YAML syntax); ConfigError if malformed or if it would
  // replace a section by a scalar. Unknown keys are reported later, when the config is read. `origin` is
  // how messages name the override ("--beam-size 20000" for a program's own flag); by default
  // "--set section.key=value".
  void apply_override(const std::string& assignment, const std::string& origin = "");

  const YAML::Node& root() const { return root_; }
  const std::string& name() const { return name_; }
  // Where the value at `key_path` came from: "de-en.yaml:12", or the override's origin ("--set
  // training.seed=3").
  std::string where(const std::string& key_path, const YAML::Node& node) const;
  // The effective document (file plus overrides) as YAML text.
  std::string dump() const;

 private:
  ConfigSource(std::string name, YAML::Node root) : name_(std::move(name)), root_(std::move(root)) {}

  std::string name_;
  YAML::Node root_;
  std::map<std::string, std::string> overrides_;  // key path -> the override's origin
};

}  // namespace ferry
