#include "data/word_sample.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "util/error.h"
#include "util/rng.h"

namespace ferry {
namespace {

// The random stream of the sample, apart from the other draws made from the run's seed.
constexpr uint64_t kSampleStream = 0x5a3d1e;

}  // namespace

WordSample sample_words(LineSource& lines, int64_t sample_lines, uint64_t seed) {
  FERRY_CHECK(sample_lines > 0, InternalError, "a sample of " << sample_lines << " lines");
  WordSample sample;
  std::vector<std::string> kept;
  Rng random(seed, kSampleStream);
  std::string line;
  while (lines.next(line)) {
    const int64_t index = sample.lines_read++;
    if (index < sample_lines) {
      kept.push_back(std::move(line));
    } else {
      // Line `index` replaces a kept one with probability sample_lines / (index + 1).
      const auto slot = static_cast<int64_t>(random.below(static_cast<uint64_t>(index) + 1));
      if (slot < sample_lines) kept[static_cast<size_t>(slot)] = std::move(line);
    }
  }
  sample.lines_sampled = static_cast<int64_t>(kept.size());

  std::unordered_map<std::string_view, int64_t> counts;
  for (const std::string& text : kept) {
    size_t start = 0;
    while (start < text.size()) {
      const size_t end = std::min(text.find_first_of(" \t", start), text.size());
      if (end > start) ++counts[std::string_view(text).substr(start, end - start)];
      start = end + 1;
    }
  }
  sample.words.reserve(counts.size());
  for (const auto& [word, count] : counts) sample.words.emplace_back(std::string(word), count);
  std::sort(sample.words.begin(), sample.words.end());
  return sample;
}

}  // namespace ferry
