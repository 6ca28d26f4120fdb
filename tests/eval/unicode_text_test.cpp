#include "eval/unicode_text.h"

#include <gtest/gtest.h>

namespace ferry {
namespace {

using Words = std::vector<std::string_view>;

TEST(UnicodeText, CodePointsAreDecodedAndMalformedBytesCountAsOne) {
  EXPECT_EQ(code_point_at("a", 0).value, U'a');
  EXPECT_EQ(code_point_at("ä", 0).value, U'ä');
  EXPECT_EQ(code_point_at("ä", 0).length, 2u);
  EXPECT_EQ(code_point_at("東", 0).value, U'東');
  EXPECT_EQ(code_point_at("🚲", 0).length, 4u);
  EXPECT_EQ(code_point_at("\xFFx", 0).value, U'\uFFFD');
  EXPECT_EQ(code_point_at("\xFFx", 0).length, 1u);
  // "aä東🚲" starts its code points at bytes 0, 1, 3 and 6; 10 bytes in all.
  EXPECT_EQ(code_point_offsets("aä東🚲"), (std::vector<size_t>{0, 1, 3, 6, 10}));
  EXPECT_EQ(code_point_offsets(""), (std::vector<size_t>{0}));
}

TEST(UnicodeText, WhitespaceIsWhatPythonsIsspaceAccepts) {
  for (const char32_t space :
       {U'\t', U'\n', U'\v', U'\f', U'\r', U'\x1C', U'\x1F', U' ', U'\u0085', U'\u00A0', U'\u1680', U'\u2000',
        U'\u200A', U'\u2028', U'\u2029', U'\u202F', U'\u205F', U'\u3000'}) {
    EXPECT_TRUE(is_python_space(space)) << static_cast<uint32_t>(space);
  }
  // Zero-width space, word joiner, Mongolian vowel separator and BOM are not whitespace in Python 3.
  for (const char32_t other : {U'\u200B', U'\u2060', U'\u180E', U'\uFEFF', U'a', U'\x1B'}) {
    EXPECT_FALSE(is_python_space(other)) << static_cast<uint32_t>(other);
  }
}

TEST(UnicodeText, SplitWordsLikePythonsSplit) {
  EXPECT_EQ(split_words("  a b\t\tc  "), (Words{"a", "b", "c"}));
  EXPECT_EQ(split_words("Grüße\u00A0aus\u3000東京"), (Words{"Grüße", "aus", "東京"}));
  EXPECT_EQ(split_words("zero\u200Bwidth"), (Words{"zero\u200Bwidth"}));
  EXPECT_TRUE(split_words("").empty());
  EXPECT_TRUE(split_words(" \u2003 ").empty());
}

TEST(UnicodeText, StripTrailingSpaceLikePythonsRstrip) {
  EXPECT_EQ(strip_trailing_space(" a b \r\n"), " a b");
  EXPECT_EQ(strip_trailing_space("ende\u00A0\u3000"), "ende");
  EXPECT_EQ(strip_trailing_space(" \t"), "");
  EXPECT_EQ(strip_trailing_space("x\u200B"), "x\u200B");
}

TEST(UnicodeText, RepairReplacesEachMaximalIllFormedSubpartOnce) {
  std::string valid = "Grüße 🚲";
  EXPECT_EQ(repair_utf8(valid), 0u);
  EXPECT_EQ(valid, "Grüße 🚲");

  // A lone invalid byte, then a truncated three-byte sequence (E2 82 is one maximal subpart), then a
  // lead byte whose second byte is out of range (E0 80: E0 alone is the subpart, 80 is another).
  std::string text =
      "a\xFF"
      "b\xE2\x82"
      "c\xE0\x80"
      "d";
  EXPECT_EQ(repair_utf8(text), 4u);
  EXPECT_EQ(text,
            "a\uFFFD"
            "b\uFFFD"
            "c\uFFFD\uFFFD"
            "d");

  std::string truncated_at_end = "x\xF0\x9F\x9A";
  EXPECT_EQ(repair_utf8(truncated_at_end), 1u);
  EXPECT_EQ(truncated_at_end, "x\uFFFD");
}

}  // namespace
}  // namespace ferry
