// The "13a" tokenizer of mteval-v13a.pl, with the rules and quirks sacreBLEU 2.x gives it (its default for
// BLEU): "<skipped>" removed, four HTML entities unescaped, ASCII punctuation and symbols split off, periods
// and commas split off unless between digits, a dash split off after a digit. Other characters, including
// all non-ASCII punctuation, are left as they are.
#pragma once

#include <string>
#include <string_view>

namespace ferry {

// The tokens of `line` joined by single spaces, without leading or trailing space.
std::string tokenize_13a(std::string_view line);

}  // namespace ferry
