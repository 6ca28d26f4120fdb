// Grouping sentences for translation: similar lengths together, so that little of a batch is padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferry {

struct BatchLimits {
  int64_t sentences = 32;  // at most this many sentences per batch
  int64_t tokens = 0;      // when > 0, also at most this many padded source tokens (</s> included) per batch
};

// Sentence indices sorted by length, longest first (equal lengths in index order), cut into consecutive
// batches within the limits; a sentence longer than the token limit forms a batch of its own.
std::vector<std::vector<size_t>> plan_batches(const std::vector<int64_t>& lengths, const BatchLimits& limits);

}  // namespace ferry
