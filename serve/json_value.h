// Reading JSON request bodies (RFC 8259): the whole grammar, strings decoded to UTF-8 (escapes and surrogate
// pairs), numbers as doubles. Errors name the byte offset and what was expected there.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ferry {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  bool as_bool() const { return boolean_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<JsonValue>& as_array() const { return array_; }
  // An object's members in the order written (keys are unique: the reader refuses repeats).
  const std::vector<std::pair<std::string, JsonValue>>& as_object() const { return object_; }
  // The member `key` of an object, nullptr when absent.
  const JsonValue* find(const std::string& key) const;

  static JsonValue null() { return JsonValue(Kind::kNull); }
  static JsonValue boolean(bool value);
  static JsonValue number(double value);
  static JsonValue string(std::string value);
  static JsonValue array(std::vector<JsonValue> items);
  static JsonValue object(std::vector<std::pair<std::string, JsonValue>> members);

 private:
  explicit JsonValue(Kind kind) : kind_(kind) {}

  Kind kind_;
  bool boolean_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> object_;
};

// "null", "a boolean", "a number", "a string", "an array", "an object": for messages.
const char* json_kind_name(JsonValue::Kind kind);

// The most nested arrays and objects parse_json accepts: deeper documents are refused, not recursed into.
inline constexpr size_t kMaxJsonDepth = 64;

// Parses a complete document (whitespace around it allowed, nothing else). InputError "byte N: ..." for
// malformed text, a repeated key, a number out of double's range or nesting past kMaxJsonDepth.
JsonValue parse_json(const std::string& text);

}  // namespace ferry
