// UTF-8 validation and repair, and whitespace normalisation of text lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ferry {

// Length of the well-formed UTF-8 sequence starting at text[at], or 0 if it is not well formed.
size_t utf8_sequence_length(std::string_view text, size_t at);
bool is_valid_utf8(std::string_view text);

// What cleaning a line changed.
struct TextRepairs {
  size_t invalid_utf8 = 0;   // ill-formed byte sequences replaced by U+FFFD
  size_t control_chars = 0;  // control characters (other than whitespace) removed
};

// Replaces ill-formed UTF-8 by U+FFFD, removes control characters, turns every whitespace run
// (spaces, tabs, CR, Unicode spaces) into one space and trims both ends.
std::string clean_line(std::string_view line, TextRepairs* repairs = nullptr);

}  // namespace ferry
