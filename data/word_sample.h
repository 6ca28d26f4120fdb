// The words of a random sample of a corpus's lines, with how often each occurs: what SentencePiece trains on.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/subword.h"

namespace ferry {

struct WordSample {
  // Each distinct word of the sampled lines (split at spaces and tabs) with its count, sorted by word.
  std::vector<std::pair<std::string, int64_t>> words;
  int64_t lines_read = 0;     // lines the source gave
  int64_t lines_sampled = 0;  // lines the words come from: min(lines_read, the sample size)
};

// Reads every line of `lines` and keeps a uniform random sample of `sample_lines` of them (reservoir sampling;
// all of them when there are no more), the same for the same seed; returns the sample's words.
WordSample sample_words(LineSource& lines, int64_t sample_lines, uint64_t seed);

}  // namespace ferry
