// What each input line becomes on the output. Fields are separated by " ||| ":
//   plain:   translation [||| score] [||| alignment]                one line per input line
//   n-best:  index ||| translation ||| score [||| alignment]        one line per hypothesis, best first
// index: the 0-based input line; score: the (length-normalised) score hypotheses are ranked by, 6 decimals;
// alignment: see translate/alignment.h. An input without hypothesis is written as an empty translation.
#pragma once

#include <cstdint>
#include <string>

#include "data/subword.h"
#include "translate/alignment.h"
#include "translate/hypothesis.h"

namespace ferry {

struct OutputOptions {
  bool n_best = false;  // the n-best format (every hypothesis of the list)
  bool scores = false;  // the plain format with the score
  AlignmentKind alignment = AlignmentKind::kNone;
};

class OutputWriter {
 public:
  // The vocabularies must outlive the writer.
  OutputWriter(const SubwordModel& src_vocab, const SubwordModel& tgt_vocab, const OutputOptions& options);

  // Appends to `out` what input line `index` (source ids `source`) yields, each line ending in "\n".
  void write(size_t index, const TokenIds& source, const NBest& result, std::string& out) const;

 private:
  void write_hypothesis(const Hypothesis& h, const std::vector<int>& source_words, std::string& out) const;

  const SubwordModel& src_vocab_;
  const SubwordModel& tgt_vocab_;
  OutputOptions options_;
};

// Decoded text of target ids, with any line break turned into a space so that it stays on one line.
std::string one_line_text(const SubwordModel& vocab, const TokenIds& ids);

}  // namespace ferry
