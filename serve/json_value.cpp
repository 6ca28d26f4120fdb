#include "serve/json_value.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "util/error.h"

namespace ferry {

const JsonValue* JsonValue::find(const std::string& key) const {
  for (const auto& member : object_)
    if (member.first == key) return &member.second;
  return nullptr;
}

JsonValue JsonValue::boolean(bool value) {
  JsonValue v(Kind::kBool);
  v.boolean_ = value;
  return v;
}

JsonValue JsonValue::number(double value) {
  JsonValue v(Kind::kNumber);
  v.number_ = value;
  return v;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue v(Kind::kString);
  v.string_ = std::move(value);
  return v;
}

JsonValue JsonValue::array(std::vector<JsonValue> items) {
  JsonValue v(Kind::kArray);
  v.array_ = std::move(items);
  return v;
}

JsonValue JsonValue::object(std::vector<std::pair<std::string, JsonValue>> members) {
  JsonValue v(Kind::kObject);
  v.object_ = std::move(members);
  return v;
}

const char* json_kind_name(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return "a boolean";
    case JsonValue::Kind::kNumber: return "a number";
    case JsonValue::Kind::kString: return "a string";
    case JsonValue::Kind::kArray: return "an array";
    case JsonValue::Kind::kObject: return "an object";
  }
  return "?";
}

namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  JsonValue document() {
    JsonValue value = parse_value(0);
    skip_space();
    if (at_ < text_.size()) fail("unexpected text after the JSON value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    FERRY_THROW(InputError, "byte " << at_ << ": " << what);
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }

  void expect_word(const char* word) {
    for (const char* c = word; *c != '\0'; ++c, ++at_)
      if (peek() != *c || at_ >= text_.size()) fail(std::string("expected '") + word + "'");
  }

  JsonValue parse_value(size_t depth) {
    skip_space();
    if (at_ >= text_.size()) fail("expected a value, found the end of the text");
    switch (text_[at_]) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': return JsonValue::string(parse_string());
      case 't': expect_word("true"); return JsonValue::boolean(true);
      case 'f': expect_word("false"); return JsonValue::boolean(false);
      case 'n': expect_word("null"); return JsonValue::null();
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return JsonValue::number(parse_number());
        fail("expected a value");
    }
  }

  JsonValue parse_object(size_t depth) {
    if (depth > kMaxJsonDepth) fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    ++at_;  // {
    std::vector<std::pair<std::string, JsonValue>> members;
    skip_space();
    if (peek() == '}') {
      ++at_;
      return JsonValue::object(std::move(members));
    }
    while (true) {
      skip_space();
      if (peek() != '"') fail("expected a key (a string)");
      const size_t key_at = at_;
      std::string key = parse_string();
      for (const auto& member : members)
        if (member.first == key) {
          at_ = key_at;
          fail("the key \"" + key + "\" appears twice");
        }
      skip_space();
      if (peek() != ':') fail("expected ':' after a key");
      ++at_;
      JsonValue value = parse_value(depth);
      members.emplace_back(std::move(key), std::move(value));
      skip_space();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() == '}') {
        ++at_;
        return JsonValue::object(std::move(members));
      }
      fail("expected ',' or '}' in an object");
    }
  }

  JsonValue parse_array(size_t depth) {
    if (depth > kMaxJsonDepth) fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    ++at_;  // [
    std::vector<JsonValue> items;
    skip_space();
    if (peek() == ']') {
      ++at_;
      return JsonValue::array(std::move(items));
    }
    while (true) {
      items.push_back(parse_value(depth));
      skip_space();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() == ']') {
        ++at_;
        return JsonValue::array(std::move(items));
      }
      fail("expected ',' or ']' in an array");
    }
  }

  unsigned hex4() {
    if (at_ + 4 > text_.size()) fail("expected 4 hexadecimal digits after \\u");
    unsigned value = 0;
    for (int i = 0; i < 4; ++i, ++at_) {
      const char c = text_[at_];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
      else fail("expected 4 hexadecimal digits after \\u");
    }
    return value;
  }

  static void append_utf8(unsigned code, std::string& out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // A \u escape (the backslash and 'u' read), with the second half of a surrogate pair if there is one; a
  // lone surrogate becomes U+FFFD, as JSON text may hold one but UTF-8 cannot.
  void unicode_escape(std::string& out) {
    unsigned code = hex4();
    if (code >= 0xD800 && code < 0xDC00 && at_ + 6 <= text_.size() && text_[at_] == '\\' &&
        text_[at_ + 1] == 'u') {
      const size_t saved = at_;
      at_ += 2;
      const unsigned low = hex4();
      if (low >= 0xDC00 && low < 0xE000) {
        append_utf8(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), out);
        return;
      }
      at_ = saved;
    }
    if (code >= 0xD800 && code < 0xE000) code = 0xFFFD;
    append_utf8(code, out);
  }

  std::string parse_string() {
    ++at_;  // "
    std::string out;
    while (true) {
      if (at_ >= text_.size()) fail("a string is not closed");
      const char c = text_[at_];
      if (c == '"') {
        ++at_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("a control character inside a string (escape it)");
      if (c != '\\') {
        out += c;
        ++at_;
        continue;
      }
      ++at_;
      const char e = peek();
      ++at_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': unicode_escape(out); break;
        default:
          --at_;
          fail("an unknown escape in a string");
      }
    }
  }

  double parse_number() {
    const size_t start = at_;
    auto digits = [&] {
      const size_t from = at_;
      while (peek() >= '0' && peek() <= '9') ++at_;
      return at_ - from;
    };
    if (peek() == '-') ++at_;
    if (peek() == '0') {
      ++at_;
    } else if (digits() == 0) {
      fail("expected a digit");
    }
    if (peek() == '.') {
      ++at_;
      if (digits() == 0) fail("expected a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      if (digits() == 0) fail("expected a digit in the exponent");
    }
    const std::string literal = text_.substr(start, at_ - start);
    errno = 0;
    const double value = std::strtod(literal.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(value)) {
      at_ = start;
      fail("the number " + literal + " is out of range");
    }
    return value;
  }

  const std::string& text_;
  size_t at_ = 0;
};

}  // namespace

JsonValue parse_json(const std::string& text) { return Parser(text).document(); }

}  // namespace ferry
