// Counting n-grams of words or characters, and how many of a hypothesis' n-grams a reference covers.
// BLEU and chrF both rest on these counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ferry {

// How often each n-gram of one order occurs, keyed by its text: words joined by single spaces (words hold no
// whitespace, so the key is unambiguous), or the characters as they stand.
using NgramCounts = std::unordered_map<std::string, int64_t>;

// The n-grams of `n` consecutive words.
NgramCounts count_word_ngrams(const std::vector<std::string_view>& words, int n);

// The n-grams of `n` consecutive code points of `text`; `offsets` are its code point starts followed by
// text.size(), as code_point_offsets() gives them.
NgramCounts count_char_ngrams(std::string_view text, const std::vector<size_t>& offsets, int n);

// The sum of all counts.
int64_t total_count(const NgramCounts& counts);

// Sum over the hypothesis n-grams of min(count in hypothesis, count in reference): matches clipped so that
// an n-gram is credited no more often than the reference holds it.
int64_t clipped_matches(const NgramCounts& hypothesis, const NgramCounts& reference);

}  // namespace ferry
