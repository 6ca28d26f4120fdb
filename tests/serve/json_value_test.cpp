#include "serve/json_value.h"

#include <gtest/gtest.h>

#include <string>

#include "util/error.h"

namespace ferry {
namespace {

// The message of the InputError parsing `text` throws ("" if it parses).
std::string parse_error(const std::string& text) {
  try {
    parse_json(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonValue, ReadsEveryKindOfValue) {
  const JsonValue v = parse_json(
      " {\"a\": [1, -2.5, 3e2, 0, -0.125E-1], \"b\": {\"c\": true, \"d\": false, \"e\": null}, \"f\": \"x\"} \n");
  ASSERT_EQ(v.kind(), JsonValue::Kind::kObject);
  ASSERT_EQ(v.as_object().size(), 3u);
  EXPECT_EQ(v.as_object()[0].first, "a");  // members keep their order
  const auto& a = v.find("a")->as_array();
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0].as_number(), 1);
  EXPECT_EQ(a[1].as_number(), -2.5);
  EXPECT_EQ(a[2].as_number(), 300);
  EXPECT_EQ(a[3].as_number(), 0);
  EXPECT_DOUBLE_EQ(a[4].as_number(), -0.0125);
  const JsonValue* b = v.find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->find("c")->as_bool());
  EXPECT_FALSE(b->find("d")->as_bool());
  EXPECT_EQ(b->find("e")->kind(), JsonValue::Kind::kNull);
  EXPECT_EQ(v.find("f")->as_string(), "x");
  EXPECT_EQ(v.find("g"), nullptr);
  EXPECT_EQ(parse_json("[]").as_array().size(), 0u);
  EXPECT_EQ(parse_json("{}").as_object().size(), 0u);
  EXPECT_EQ(parse_json("\"\"").as_string(), "");
}

TEST(JsonValue, DecodesEscapesToUtf8) {
  EXPECT_EQ(parse_json(R"("q\" b\\ s\/ \b\f\n\r\t")").as_string(), "q\" b\\ s/ \b\f\n\r\t");
  EXPECT_EQ(parse_json(R"("\u0041\u00e4\u20AC")").as_string(), "A\xC3\xA4\xE2\x82\xAC");  // A ä €
  EXPECT_EQ(parse_json(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");           // a surrogate pair
  EXPECT_EQ(parse_json(R"("\ud83d x")").as_string(), "\xEF\xBF\xBD x");                 // a lone half: U+FFFD
  EXPECT_EQ(parse_json("\"Fu\xC3\x9F" "ball\"").as_string(), "Fu\xC3\x9F" "ball");     // raw UTF-8 kept
}

TEST(JsonValue, NamesTheByteAndTheProblemOfMalformedText) {
  EXPECT_EQ(parse_error(""), "byte 0: expected a value, found the end of the text");
  EXPECT_EQ(parse_error("[1, 2"), "byte 5: expected ',' or ']' in an array");
  EXPECT_EQ(parse_error("{\"a\" 1}"), "byte 5: expected ':' after a key");
  EXPECT_EQ(parse_error("{\"a\": 1,}"), "byte 8: expected a key (a string)");
  EXPECT_EQ(parse_error("{\"a\": 1, \"a\": 2}"), "byte 9: the key \"a\" appears twice");
  EXPECT_EQ(parse_error("[1] x"), "byte 4: unexpected text after the JSON value");
  EXPECT_EQ(parse_error("\"abc"), "byte 4: a string is not closed");
  EXPECT_EQ(parse_error("\"a\nb\""), "byte 2: a control character inside a string (escape it)");
  EXPECT_EQ(parse_error(R"("\x")"), "byte 2: an unknown escape in a string");
  EXPECT_EQ(parse_error(R"("\u12G4")"), "byte 5: expected 4 hexadecimal digits after \\u");
  EXPECT_EQ(parse_error("tru"), "byte 3: expected 'true'");
  EXPECT_EQ(parse_error("nul!"), "byte 3: expected 'null'");
  EXPECT_EQ(parse_error("01"), "byte 1: unexpected text after the JSON value");
  EXPECT_EQ(parse_error("-"), "byte 1: expected a digit");
  EXPECT_EQ(parse_error("1."), "byte 2: expected a digit after '.'");
  EXPECT_EQ(parse_error("1e+"), "byte 3: expected a digit in the exponent");
  EXPECT_EQ(parse_error("1e999"), "byte 0: the number 1e999 is out of range");
  EXPECT_EQ(parse_error("+1"), "byte 0: expected a value");
  EXPECT_EQ(parse_error("'a'"), "byte 0: expected a value");
}

TEST(JsonValue, RefusesNestingPastTheLimitWithoutRecursingIntoIt) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(parse_error(ok), "");
  const std::string deep(1000000, '[');  // would exhaust the stack if followed
  EXPECT_EQ(parse_error(deep), "byte " + std::to_string(kMaxJsonDepth) + ": nested deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels");
  EXPECT_NE(parse_error(std::string(kMaxJsonDepth + 1, '[')), "");
}

}  // namespace
}  // namespace ferry
