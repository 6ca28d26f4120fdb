// Builds one-line JSON objects (for metrics.jsonl and --json outputs) with correctly escaped strings.
#pragma once

#include <cstdint>
#include <string>

namespace ferry {

class JsonLine {
 public:
  JsonLine& add(const std::string& key, const std::string& value);
  JsonLine& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  JsonLine& add(const std::string& key, double value, int precision = 6);
  JsonLine& add(const std::string& key, int64_t value);
  JsonLine& add(const std::string& key, int value) { return add(key, static_cast<int64_t>(value)); }
  JsonLine& add(const std::string& key, bool value);
  // Adds a value that is already JSON (an array or object).
  JsonLine& add_raw(const std::string& key, const std::string& json);
  // "{...}" without a newline.
  std::string str() const { return "{" + body_ + "}"; }

 private:
  void key(const std::string& name);
  std::string body_;
};

// A JSON string literal, quotes included.
std::string json_quote(const std::string& text);

}  // namespace ferry
