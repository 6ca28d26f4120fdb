// Text the way sacreBLEU's Python code sees it: a sequence of code points, where "whitespace" is what
// str.isspace() accepts, words are what str.split() returns and str.rstrip() trims the end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

// One decoded code point and the number of bytes it took.
struct CodePoint {
  char32_t value;
  size_t length;
};

// The code point starting at text[at] (at < text.size()). A byte that does not start well-formed UTF-8
// decodes as U+FFFD of length 1, so malformed input is measured rather than rejected.
CodePoint code_point_at(std::string_view text, size_t at);

// Byte offsets at which the code points of `text` start, followed by text.size().
std::vector<size_t> code_point_offsets(std::string_view text);

// Python's str.isspace() for one code point.
bool is_python_space(char32_t code);

// Python's str.split() without arguments: the non-empty runs between whitespace code points.
std::vector<std::string_view> split_words(std::string_view text);

// Python's str.rstrip() without arguments.
std::string_view strip_trailing_space(std::string_view text);

// Replaces each maximal ill-formed UTF-8 subpart by one U+FFFD, as Python's errors="replace" decoding
// does; returns how many replacements were made.
size_t repair_utf8(std::string& text);

}  // namespace ferry
