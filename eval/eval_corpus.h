// A system's translations and their references, read from files and checked to align line by line.
#pragma once

#include <string>
#include <vector>

#include "eval/references.h"

namespace ferry {

// Stands for standard input where a file name is expected.
inline constexpr const char* kStandardInput = "-";

struct EvalCorpus {
  std::vector<std::string> hypotheses;
  ReferenceStreams references;  // one stream per reference file, in the order given
};

// The lines of a plain or gzip-compressed text file (kStandardInput: standard input). Ill-formed UTF-8 is
// replaced by U+FFFD, with one warning for the file. DataError if the file cannot be opened or read.
std::vector<std::string> read_text_lines(const std::string& path);

// Reads the hypotheses and every reference file. InputError if a file is missing or unreadable, or if a
// reference file's line count differs from the hypotheses' (the message names both files and both counts).
EvalCorpus read_eval_corpus(const std::string& hypothesis_path,
                            const std::vector<std::string>& reference_paths);

}  // namespace ferry
