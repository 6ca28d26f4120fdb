#include "eval/unicode_text.h"

#include "util/utf8.h"

namespace ferry {
namespace {

constexpr char32_t kReplacementCharacter = 0xFFFD;
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// How many bytes from text[at] form the longest prefix of some well-formed sequence (at least 1): the
// span that one U+FFFD stands for under the Unicode "maximal subpart" practice.
size_t ill_formed_span(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  size_t expected = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    expected = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    expected = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    expected = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    return 1;
  }
  size_t span = 1;
  while (span < expected && at + span < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at + span]);
    const bool continues = span == 1 ? byte >= second_low && byte <= second_high : (byte & 0xC0) == 0x80;
    if (!continues) break;
    ++span;
  }
  return span;
}

}  // namespace

CodePoint code_point_at(std::string_view text, size_t at) {
  const size_t length = utf8_sequence_length(text, at);
  const auto byte = [&](size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(text[at + i])); };
  switch (length) {
    case 1:
      return {byte(0), 1};
    case 2:
      return {((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F), 2};
    case 3:
      return {((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F), 3};
    case 4:
      return {
          ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F),
          4};
    default:
      return {kReplacementCharacter, 1};
  }
}

std::vector<size_t> code_point_offsets(std::string_view text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t at = 0; at < text.size(); at += code_point_at(text, at).length) offsets.push_back(at);
  offsets.push_back(text.size());
  return offsets;
}

bool is_python_space(char32_t code) {
  return (code >= 0x09 && code <= 0x0D) || (code >= 0x1C && code <= 0x20) || code == 0x85 || code == 0xA0 ||
         code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x2028 || code == 0x2029 ||
         code == 0x202F || code == 0x205F || code == 0x3000;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t word_start = 0;
  bool in_word = false;
  for (size_t at = 0; at < text.size();) {
    const CodePoint code = code_point_at(text, at);
    if (is_python_space(code.value)) {
      if (in_word) words.push_back(text.substr(word_start, at - word_start));
      in_word = false;
    } else if (!in_word) {
      word_start = at;
      in_word = true;
    }
    at += code.length;
  }
  if (in_word) words.push_back(text.substr(word_start));
  return words;
}

std::string_view strip_trailing_space(std::string_view text) {
  size_t end = 0;  // just past the last code point that is not whitespace
  for (size_t at = 0; at < text.size();) {
    const CodePoint code = code_point_at(text, at);
    at += code.length;
    if (!is_python_space(code.value)) end = at;
  }
  return text.substr(0, end);
}

size_t repair_utf8(std::string& text) {
  if (is_valid_utf8(text)) return 0;
  std::string repaired;
  repaired.reserve(text.size() + 8);
  size_t replacements = 0;
  for (size_t at = 0; at < text.size();) {
    const size_t length = utf8_sequence_length(text, at);
    if (length > 0) {
      repaired.append(text, at, length);
      at += length;
    } else {
      repaired += kReplacementUtf8;
      ++replacements;
      at += ill_formed_span(text, at);
    }
  }
  text = std::move(repaired);
  return replacements;
}

}  // namespace ferry
