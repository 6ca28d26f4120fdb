// Encoding many lines to subword ids a word at a time, remembering the ids of each word seen.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "data/subword.h"

namespace ferry {

// A corpus of millions of lines repeats most of its words, and SentencePiece's per-line encoding spends most
// of its time allocating its result (a protobuf message with a string per piece). The model's pieces never
// span a space (it is trained with split_by_whitespace), so a line's ids are those of its space-separated
// words in turn; each word is encoded by SentencePiece once per thread and looked up after that.
// The ids are SubwordModel::encode's but where two segmentations of a word tie exactly, the same pieces in
// another order (0+00 and 00+0 for "000"): SentencePiece breaks such a tie by the float rounding of the
// line's running score, this encoder by the word's own. One of Multi30k's 62,028 lines differs so.
class CachedEncoder {
 public:
  // Remembers at most `max_words` words per thread; past that, new words are encoded each time.
  explicit CachedEncoder(const SubwordModel& model, size_t max_words = size_t{1} << 20);
  // Encodes `count` lines in parallel, one thread per word cache.
  std::vector<TokenIds> encode_all(const std::string* lines, size_t count);

 private:
  using WordIds = std::unordered_map<std::string, TokenIds>;
  void encode_line(const std::string& line, WordIds& cache, TokenIds& ids) const;

  const SubwordModel& model_;
  size_t max_words_;
  std::vector<WordIds> caches_;  // one per OpenMP thread
};

}  // namespace ferry
