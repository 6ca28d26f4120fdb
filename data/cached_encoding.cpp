#include "data/cached_encoding.h"

#include <omp.h>

#include <algorithm>

namespace ferry {

CachedEncoder::CachedEncoder(const SubwordModel& model, size_t max_words)
    : model_(model), max_words_(max_words), caches_(static_cast<size_t>(std::max(1, omp_get_max_threads()))) {}

void CachedEncoder::encode_line(const std::string& line, WordIds& cache, TokenIds& ids) const {
  ids.clear();
  std::string word;
  TokenIds uncached;
  for (size_t start = 0; start < line.size();) {
    const size_t end = std::min(line.find(' ', start), line.size());
    if (end > start) {
      word.assign(line, start, end - start);
      const TokenIds* word_ids = nullptr;
      if (const auto found = cache.find(word); found != cache.end()) {
        word_ids = &found->second;
      } else if (cache.size() < max_words_) {
        word_ids = &cache.emplace(word, model_.encode(word)).first->second;
      } else {
        uncached = model_.encode(word);
        word_ids = &uncached;
      }
      ids.insert(ids.end(), word_ids->begin(), word_ids->end());
    }
    start = end + 1;
  }
}

std::vector<TokenIds> CachedEncoder::encode_all(const std::string* lines, size_t count) {
  std::vector<TokenIds> out(count);
  const auto n = static_cast<int64_t>(count);
  const int threads = static_cast<int>(caches_.size());
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (int64_t i = 0; i < n; ++i) {
    encode_line(lines[i], caches_[static_cast<size_t>(omp_get_thread_num())],
                out[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace ferry
