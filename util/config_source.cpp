#include "util/config_source.h"

#include <fstream>
#include <sstream>

#include "util/error.h"

namespace ferry {
namespace {

std::string yaml_problem(const YAML::Exception& e) {
  std::string message = e.msg;
  if (!e.mark.is_null()) message += " (line " + std::to_string(e.mark.line + 1) + ")";
  return message;
}

}  // namespace

ConfigSource ConfigSource::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) FERRY_THROW(ConfigError, "cannot read config file '" << path << "'");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

ConfigSource ConfigSource::parse(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    FERRY_THROW(ConfigError, "config " << name << " is not valid YAML: " << yaml_problem(e));
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) FERRY_THROW(ConfigError, "config " << name << " must be a mapping of sections at the top level");
  return ConfigSource(name, root);
}

void ConfigSource::apply_override(const std::string& assignment) {
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    FERRY_THROW(ConfigError, "--set " << assignment << ": expected section.key=value");
  const std::string path = assignment.substr(0, equals);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(equals + 1));
  } catch (const YAML::Exception& e) {
    FERRY_THROW(ConfigError, "--set " << assignment << ": value is not valid YAML: " << e.msg);
  }

  std::vector<std::string> parts;
  std::stringstream stream(path);
  for (std::string part; std::getline(stream, part, '.');) {
    if (part.empty()) FERRY_THROW(ConfigError, "--set " << assignment << ": empty name in key path '" << path << "'");
    parts.push_back(part);
  }
  if (parts.size() < 2) FERRY_THROW(ConfigError, "--set " << assignment << ": expected section.key=value");

  YAML::Node node(root_);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node child = node[parts[i]];
    if (!child.IsDefined() || child.IsNull()) {
      node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      child = node[parts[i]];
    }
    if (!child.IsMap())
      FERRY_THROW(ConfigError, "--set " << assignment << ": '" << parts[i] << "' is not a section");
    node.reset(child);  // reset, not assignment: assigning a yaml-cpp node overwrites what it refers to
  }
  node[parts.back()] = value;
  overrides_[path] = assignment;
}

std::string ConfigSource::where(const std::string& key_path, const YAML::Node& node) const {
  // An override of this key or of a section holding it.
  for (const auto& [path, assignment] : overrides_) {
    if (key_path == path || key_path.rfind(path + ".", 0) == 0) return "--set " + assignment;
  }
  if (node.IsDefined() && !node.Mark().is_null()) return name_ + ":" + std::to_string(node.Mark().line + 1);
  return name_;
}

std::string ConfigSource::dump() const {
  YAML::Emitter out;
  out << root_;
  return std::string(out.c_str()) + "\n";
}

}  // namespace ferry
