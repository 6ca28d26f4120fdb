#include "eval/tokenizer_13a.h"

#include "eval/unicode_text.h"

namespace ferry {
namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (text.find(from) == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  for (size_t found; (found = text.find(from, start)) != std::string::npos; start = found + from.size()) {
    out.append(text, start, found - start);
    out.append(to);
  }
  out.append(text, start);
  text = std::move(out);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_period_or_comma(char c) { return c == '.' || c == ','; }

// The ASCII characters 13a always splits off: space through '&', '(' through '+', '/', ':' through '@',
// '[' through '`' and '{' through '~' (so not the apostrophe, '-', '.', ',' or digits and letters).
bool is_always_split(char c) {
  return (c >= ' ' && c <= '&') || (c >= '(' && c <= '+') || c == '/' || (c >= ':' && c <= '@') ||
         (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

std::string split_symbols(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (const char c : text) {
    if (is_always_split(c)) {
      out += ' ';
      out += c;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// One regular-expression substitution of the form (A)(B) -> "\1 \2 " (or " \1 \2" when `space_before`),
// with Python's semantics: matches are found left to right and do not overlap, so after a match the scan
// resumes behind its second character. Working on bytes gives the same result as on code points here,
// since every character the rules name is ASCII and no byte of a multi-byte character is ASCII.
template <typename First, typename Second>
std::string space_pairs(const std::string& text, First first, Second second, bool space_before) {
  std::string out;
  out.reserve(text.size() * 2);
  size_t at = 0;
  while (at < text.size()) {
    if (at + 1 < text.size() && first(text[at]) && second(text[at + 1])) {
      if (space_before) out += ' ';
      out += text[at];
      out += ' ';
      out += text[at + 1];
      if (!space_before) out += ' ';
      at += 2;
    } else {
      out += text[at];
      ++at;
    }
  }
  return out;
}

}  // namespace

std::string tokenize_13a(std::string_view line) {
  std::string text(line);
  replace_all(text, "<skipped>", "");
  replace_all(text, "-\n", "");
  replace_all(text, "\n", " ");
  // In this order, so that "&amp;lt;" becomes "<" as it does in sacreBLEU.
  replace_all(text, "&quot;", "\"");
  replace_all(text, "&amp;", "&");
  replace_all(text, "&lt;", "<");
  replace_all(text, "&gt;", ">");

  text = split_symbols(" " + text + " ");
  const auto not_digit = [](char c) { return !is_digit(c); };
  text = space_pairs(text, not_digit, is_period_or_comma, false);  // "a." -> "a . "
  text = space_pairs(text, is_period_or_comma, not_digit, true);   // ".a" -> " . a"
  text = space_pairs(
      text, is_digit, [](char c) { return c == '-'; }, false);  // "3-" -> "3 - "

  std::string tokens;
  tokens.reserve(text.size());
  for (const std::string_view word : split_words(text)) {
    if (!tokens.empty()) tokens += ' ';
    tokens.append(word);
  }
  return tokens;
}

}  // namespace ferry
