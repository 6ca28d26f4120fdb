#include "translate/pair_scoring.h"

#include <cstdio>
#include <iostream>
#include <vector>

#include "translate/forced_decoding.h"
#include "translate/input_line.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {

size_t score_pairs(std::istream& in, std::ostream& out, StepScorer& scorer, const PairScoringInput& input) {
  std::vector<std::string> source_lines, reference_lines;
  for (std::string line; std::getline(in, line);) source_lines.push_back(std::move(line));
  FERRY_CHECK(!in.bad(), Error, "reading the source lines failed");
  LineReader references(input.reference_path);
  for (std::string line; references.next(line);) reference_lines.push_back(std::move(line));
  FERRY_CHECK(source_lines.size() == reference_lines.size(), InputError,
              "--score needs one reference per source line: "
                  << source_lines.size() << " source lines but " << reference_lines.size()
                  << " reference lines in " << input.reference_path);
  std::vector<TokenIds> sources, targets;
  for (size_t i = 0; i < source_lines.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    sources.push_back(
        prepare_reported(source_lines[i], *input.src_vocab, input.max_input_length, "line " + number));
    targets.push_back(prepare_reported(reference_lines[i], *input.tgt_vocab, input.max_input_length,
                                       "reference line " + number));
  }
  const std::vector<double> log_probs = force_decode(scorer, sources, targets, input.limits);
  std::string text;
  char number[64];
  for (double log_prob : log_probs) {
    std::snprintf(number, sizeof number, "%.6f\n", log_prob);
    text += number;
  }
  out << text << std::flush;
  FERRY_CHECK(out.good(), Error, "writing the scores failed");
  return log_probs.size();
}

}  // namespace ferry
