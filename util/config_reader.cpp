#include "util/config_reader.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "util/error.h"

namespace ferry {

struct ConfigReader::Shared {
  const ConfigSource* source;
  bool schema_only;
  std::vector<ConfigKeyInfo> declared;
  std::map<std::string, std::vector<std::string>> known;  // section path -> declared keys
  std::map<std::string, std::string> resolved;            // key path -> value as read
};

namespace {

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

template <typename T>
std::string to_text(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string list_text(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

ConfigReader::ConfigReader(const ConfigSource& source, bool schema_only)
    : ConfigReader(std::make_shared<Shared>(Shared{&source, schema_only, {}, {}, {}}), source.root(), "") {}

ConfigReader::ConfigReader(std::shared_ptr<Shared> shared, YAML::Node node, std::string path)
    : shared_(std::move(shared)), node_(std::move(node)), path_(std::move(path)) {
  shared_->known[path_];  // a section with no keys read is still a known section
}

YAML::Node ConfigReader::lookup(const std::string& key) const {
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.Scalar() == key) return entry.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node ConfigReader::key_node(const std::string& key) const {
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.Scalar() == key) return entry.first;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool ConfigReader::has(const std::string& key) const {
  YAML::Node value = lookup(key);
  return value.IsDefined() && !value.IsNull();
}

bool ConfigReader::given(const std::string& key) const {
  YAML::Node value = lookup(key);
  if (!value.IsDefined()) return false;
  // "key:" with nothing after it, or "--set section.key=": a slip, not a request for the default.
  if (value.IsNull()) fail(key, "has no value (leave the key out to take its default)");
  return true;
}

std::string ConfigReader::path_of(const std::string& key) const { return join(path_, key); }

std::string ConfigReader::where(const std::string& key) const {
  YAML::Node value = lookup(key);
  // A key without a value: yaml-cpp marks the empty value where the next token starts, so name the key's line.
  if (value.IsDefined() && value.IsNull()) value = key_node(key);
  return shared_->source->where(path_of(key), value.IsDefined() ? value : node_);
}

void ConfigReader::fail(const std::string& key, const std::string& problem) const {
  FERRY_THROW(ConfigError, "key '" << path_of(key) << "' at " << where(key) << ": " << problem);
}

void ConfigReader::declare(const std::string& key, const std::string& kind, const std::string& fallback,
                           const std::string& help) {
  auto& keys = shared_->known[path_];
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    keys.push_back(key);
    shared_->declared.push_back({path_of(key), kind, fallback, help});
  }
}

ConfigReader ConfigReader::section(const std::string& key, const std::string& help) {
  declare(key, "section", "", help);
  YAML::Node value = lookup(key);
  if (value.IsDefined() && !value.IsNull() && !value.IsMap()) fail(key, "must be a section (a mapping of keys)");
  if (!value.IsDefined() || value.IsNull()) value = YAML::Node(YAML::NodeType::Map);
  return ConfigReader(shared_, value, path_of(key));
}

int64_t ConfigReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max,
                              const std::string& help) {
  declare(key, "integer in [" + to_text(min) + ", " + to_text(max) + "]", to_text(fallback), help);
  shared_->resolved[path_of(key)] = to_text(fallback);
  if (!given(key)) return fallback;
  YAML::Node value = lookup(key);
  int64_t result = 0;
  if (!value.IsScalar() || !YAML::convert<int64_t>::decode(value, result))
    fail(key, "must be an integer, got '" + (value.IsScalar() ? value.Scalar() : std::string("a section")) + "'");
  if (result < min || result > max)
    fail(key, "must be in [" + to_text(min) + ", " + to_text(max) + "], got " + to_text(result));
  shared_->resolved[path_of(key)] = to_text(result);
  return result;
}

double ConfigReader::real(const std::string& key, double fallback, double min, double max, const std::string& help) {
  declare(key, "number in [" + to_text(min) + ", " + to_text(max) + "]", to_text(fallback), help);
  shared_->resolved[path_of(key)] = to_text(fallback);
  if (!given(key)) return fallback;
  YAML::Node value = lookup(key);
  double result = 0;
  if (!value.IsScalar() || !YAML::convert<double>::decode(value, result))
    fail(key, "must be a number, got '" + (value.IsScalar() ? value.Scalar() : std::string("a section")) + "'");
  if (!(result >= min && result <= max))
    fail(key, "must be in [" + to_text(min) + ", " + to_text(max) + "], got " + to_text(result));
  shared_->resolved[path_of(key)] = to_text(result);
  return result;
}

bool ConfigReader::boolean(const std::string& key, bool fallback, const std::string& help) {
  declare(key, "true or false", fallback ? "true" : "false", help);
  shared_->resolved[path_of(key)] = fallback ? "true" : "false";
  if (!given(key)) return fallback;
  YAML::Node value = lookup(key);
  bool result = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result))
    fail(key, "must be true or false, got '" + (value.IsScalar() ? value.Scalar() : std::string("a section")) + "'");
  shared_->resolved[path_of(key)] = result ? "true" : "false";
  return result;
}

std::string ConfigReader::text(const std::string& key, const std::string& fallback, const std::string& help) {
  declare(key, "text", fallback.empty() ? "\"\"" : fallback, help);
  shared_->resolved[path_of(key)] = fallback;
  if (!given(key)) return fallback;
  YAML::Node value = lookup(key);
  if (!value.IsScalar()) fail(key, "must be a single value, not a list or section");
  shared_->resolved[path_of(key)] = value.Scalar();
  return value.Scalar();
}

std::string ConfigReader::required_text(const std::string& key, const std::string& help) {
  declare(key, "text", "(required)", help);
  if (shared_->schema_only && !has(key)) return "";
  if (!has(key)) fail(key, "is required but missing");
  YAML::Node value = lookup(key);
  if (!value.IsScalar() || value.Scalar().empty()) fail(key, "must be a non-empty value");
  shared_->resolved[path_of(key)] = value.Scalar();
  return value.Scalar();
}

std::string ConfigReader::choice(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& choices, const std::string& help) {
  declare(key, "one of: " + list_text(choices), fallback, help);
  shared_->resolved[path_of(key)] = fallback;
  if (!given(key)) return fallback;
  YAML::Node value = lookup(key);
  if (!value.IsScalar()) fail(key, "must be one of: " + list_text(choices));
  const std::string& given = value.Scalar();
  if (std::find(choices.begin(), choices.end(), given) != choices.end()) {
    shared_->resolved[path_of(key)] = given;
    return given;
  }
  std::string problem = "must be one of: " + list_text(choices) + "; got '" + given + "'";
  const std::string suggestion = closest_match(given, choices);
  if (!suggestion.empty()) problem += "; did you mean '" + suggestion + "'?";
  fail(key, problem);
}

void ConfigReader::reject_unknown_keys(const std::set<std::string>& skip) const {
  std::vector<std::string> all_paths;
  for (const auto& info : shared_->declared) all_paths.push_back(info.path);

  // Depth-first over the document, checking each mapping whose section was declared.
  struct Frame {
    YAML::Node node;
    std::string path;
  };
  std::vector<Frame> stack{{node_, path_}};
  while (!stack.empty()) {
    Frame frame = stack.back();
    stack.pop_back();
    if (!frame.node.IsMap()) continue;
    const auto& known = shared_->known.at(frame.path);
    std::vector<Frame> children;
    for (const auto& entry : frame.node) {
      const std::string key = entry.first.Scalar();
      const std::string path = join(frame.path, key);
      if (frame.path.empty() && skip.count(key)) continue;
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string message = "unknown key '" + path + "' at " + shared_->source->where(path, entry.first);
        std::string suggestion = closest_match(key, known);
        if (!suggestion.empty()) {
          suggestion = join(frame.path, suggestion);
        } else {  // the same name in another section, or the nearest full path
          suggestion = closest_match(path, all_paths);
          for (const auto& other : all_paths) {
            if (other.size() > key.size() && other.compare(other.size() - key.size() - 1, key.size() + 1, "." + key) == 0)
              suggestion = other;
          }
        }
        if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
        throw ConfigError(message);
      }
      if (shared_->known.count(path)) children.push_back({entry.second, path});
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

const std::vector<ConfigKeyInfo>& ConfigReader::declared() const { return shared_->declared; }

const std::map<std::string, std::string>& ConfigReader::resolved() const { return shared_->resolved; }

void ConfigReader::learn_keys(const ConfigReader& schema) {
  for (const auto& [section, keys] : schema.shared_->known) {
    auto& mine = shared_->known[section];
    for (const auto& key : keys) {
      if (std::find(mine.begin(), mine.end(), key) == mine.end()) mine.push_back(key);
    }
  }
  for (const auto& info : schema.shared_->declared) {
    const bool seen = std::any_of(shared_->declared.begin(), shared_->declared.end(),
                                  [&](const ConfigKeyInfo& mine) { return mine.path == info.path; });
    if (!seen) shared_->declared.push_back(info);
  }
}

}  // namespace ferry
