#include "eval/ngram_counts.h"

#include <algorithm>

namespace ferry {

NgramCounts count_word_ngrams(const std::vector<std::string_view>& words, int n) {
  NgramCounts counts;
  const size_t order = static_cast<size_t>(n);
  std::string key;
  for (size_t start = 0; start + order <= words.size(); ++start) {
    key.assign(words[start]);
    for (size_t i = 1; i < order; ++i) {
      key += ' ';
      key.append(words[start + i]);
    }
    ++counts[key];
  }
  return counts;
}

NgramCounts count_char_ngrams(std::string_view text, const std::vector<size_t>& offsets, int n) {
  NgramCounts counts;
  const size_t order = static_cast<size_t>(n);
  const size_t characters = offsets.size() - 1;
  for (size_t start = 0; start + order <= characters; ++start) {
    ++counts[std::string(text.substr(offsets[start], offsets[start + order] - offsets[start]))];
  }
  return counts;
}

int64_t total_count(const NgramCounts& counts) {
  int64_t total = 0;
  for (const auto& entry : counts) total += entry.second;
  return total;
}

int64_t clipped_matches(const NgramCounts& hypothesis, const NgramCounts& reference) {
  int64_t matches = 0;
  for (const auto& [ngram, count] : hypothesis) {
    const auto found = reference.find(ngram);
    if (found != reference.end()) matches += std::min(count, found->second);
  }
  return matches;
}

}  // namespace ferry
