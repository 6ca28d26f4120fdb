// Reading a line-aligned parallel corpus (plain or .gz), cleaning each line, counting what was wrong.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/data_config.h"
#include "util/file_io.h"
#include "util/utf8.h"

namespace ferry {

struct CorpusStats {
  size_t lines = 0;             // line pairs in the files
  size_t empty_pairs = 0;       // pairs skipped because a side was empty after cleaning
  size_t invalid_utf8 = 0;      // ill-formed UTF-8 sequences replaced by U+FFFD (both sides)
  size_t control_chars = 0;     // control characters removed (both sides)
};

struct ParallelCorpus {
  std::vector<std::string> src;  // cleaned, non-empty lines
  std::vector<std::string> tgt;  // aligned with src
  std::vector<size_t> line_numbers;  // 1-based line of each pair in the files
  CorpusStats stats;
  size_t size() const { return src.size(); }
};

// The kept pairs of a corpus one at a time, as read_corpus gives them all: a parallel corpus's files in step,
// or a language model's text (paths.text, the sources then empty), each line cleaned, pairs with an empty
// side skipped and counted; with `max_pairs` > 0, at most that many lines.
class CorpusReader {
 public:
  explicit CorpusReader(const CorpusPaths& paths, int64_t max_pairs = 0);

  // The next kept pair; false at the end. DataError as read_corpus.
  bool next(std::string& src, std::string& tgt);
  // Counts so far; complete once next() has returned false.
  const CorpusStats& stats() const { return stats_; }
  // 1-based line of the pair last returned.
  size_t line_number() const { return stats_.lines; }

 private:
  // The next line pair, raw; false at the end (DataError when one file ends before the other).
  bool next_lines();

  CorpusPaths paths_;
  int64_t max_pairs_;
  std::unique_ptr<LineReader> src_reader_, tgt_reader_;  // src_reader_ absent for a text corpus
  std::string src_line_, tgt_line_;
  TextRepairs repairs_;
  CorpusStats stats_;
};

// The whole corpus in memory. A parallel corpus: both files read in step, every line cleaned (clean_line:
// whitespace normalised, invalid UTF-8 replaced, control characters removed), pairs with an empty side skipped
// and counted. DataError if the files differ in line count (naming both files and counts) or cannot be read.
// With `max_pairs` > 0, stops after that many lines (their count is then not checked). A language model's
// text (paths.text): a corpus of pairs with empty sources, empty lines skipped and counted in empty_pairs.
ParallelCorpus read_corpus(const CorpusPaths& paths, int64_t max_pairs = 0);

// One line per message: counts of pairs, skipped and repaired lines, for logs.
std::string describe(const CorpusStats& stats, const CorpusPaths& paths);

}  // namespace ferry
