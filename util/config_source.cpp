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

// yaml-cpp keeps every entry of a mapping that names a key twice; the config reader would see only the first.
// `origin` names the text in messages; `with_lines` adds the line of each (for files, not for --set values).
void reject_duplicate_keys(const YAML::Node& node, const std::string& path, const std::string& origin,
                           bool with_lines) {
  if (node.IsSequence()) {
    for (const auto& item : node) reject_duplicate_keys(item, path, origin, with_lines);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Node> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string key_path = path.empty() ? key : path + "." + key;
    const auto [first, inserted] = seen.emplace(key, entry.first);
    if (!inserted && with_lines) {
      FERRY_THROW(ConfigError, "key '" << key_path << "' is given twice: at " << origin << ":"
                                       << first->second.Mark().line + 1 << " and at " << origin << ":"
                                       << entry.first.Mark().line + 1);
    }
    if (!inserted) FERRY_THROW(ConfigError, "key '" << key_path << "' is given twice in " << origin);
    reject_duplicate_keys(entry.second, key_path, origin, with_lines);
  }
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
  if (!root.IsMap())
    FERRY_THROW(ConfigError, "config " << name << " must be a mapping of sections at the top level");
  reject_duplicate_keys(root, "", name, true);
  return ConfigSource(name, root);
}

void ConfigSource::apply_override(const std::string& assignment, const std::string& origin) {
  const std::string named = origin.empty() ? "--set " + assignment : origin;
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    FERRY_THROW(ConfigError, named << ": expected section.key=value");
  const std::string path = assignment.substr(0, equals);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(equals + 1));
  } catch (const YAML::Exception& e) {
    FERRY_THROW(ConfigError, named << ": value is not valid YAML: " << e.msg);
  }
  reject_duplicate_keys(value, path, named, false);

  std::vector<std::string> parts;
  std::stringstream stream(path);
  for (std::string part; std::getline(stream, part, '.');) {
    if (part.empty()) FERRY_THROW(ConfigError, named << ": empty name in key path '" << path << "'");
    parts.push_back(part);
  }
  if (parts.size() < 2) FERRY_THROW(ConfigError, named << ": expected section.key=value");

  YAML::Node node(root_);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node child = node[parts[i]];
    if (!child.IsDefined() || child.IsNull()) {
      node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      child = node[parts[i]];
    }
    if (!child.IsMap())
      FERRY_THROW(ConfigError, named << ": '" << parts[i] << "' is not a section");
    node.reset(child);  // reset, not assignment: assigning a yaml-cpp node overwrites what it refers to
  }
  node[parts.back()] = value;
  overrides_[path] = named;
}

std::string ConfigSource::where(const std::string& key_path, const YAML::Node& node) const {
  // An override of this key or of a section holding it.
  for (const auto& [path, origin] : overrides_) {
    if (key_path == path || key_path.rfind(path + ".", 0) == 0) return origin;
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
