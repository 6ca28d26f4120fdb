// Reading a line-aligned parallel corpus (plain or .gz), cleaning each line, counting what was wrong.
#pragma once

#include <string>
#include <vector>

#include "data/data_config.h"

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

// Reads both files in step. Every line is cleaned (clean_line: whitespace normalised, invalid UTF-8
// replaced, control characters removed); pairs with an empty side are skipped and counted. DataError if the
// files differ in line count (naming both files and counts) or cannot be read.
// With `max_pairs` > 0, stops after that many lines (their count is then not checked).
ParallelCorpus read_parallel_corpus(const CorpusPaths& paths, int64_t max_pairs = 0);

// A language model's text, as a corpus of pairs with empty sources: each line cleaned as above, empty lines
// skipped and counted (in empty_pairs). With `max_lines` > 0, stops after that many lines.
ParallelCorpus read_text_corpus(const std::string& path, int64_t max_lines = 0);
// read_text_corpus for paths.text when given, else read_parallel_corpus.
ParallelCorpus read_corpus(const CorpusPaths& paths, int64_t max_pairs = 0);

// One line per message: counts of pairs, skipped and repaired lines, for logs.
std::string describe(const CorpusStats& stats, const CorpusPaths& paths);

}  // namespace ferry
