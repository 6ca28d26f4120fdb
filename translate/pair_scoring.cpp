#include "translate/pair_scoring.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

#include "translate/forced_decoding.h"
#include "translate/input_line.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {

namespace {

void append_score(double log_prob, int64_t tokens, ScoreFormat format, std::string& text) {
  char line[160];
  const double ppl = std::exp(-log_prob / static_cast<double>(tokens));
  switch (format) {
    case ScoreFormat::kLogProb:
      std::snprintf(line, sizeof line, "%.6f\n", log_prob);
      break;
    case ScoreFormat::kFields:
      std::snprintf(line, sizeof line, "%.6f\t%lld\t%.4f\n", log_prob, static_cast<long long>(tokens), ppl);
      break;
    case ScoreFormat::kJson:
      std::snprintf(line, sizeof line, "{\"log_prob\": %.6f, \"tokens\": %lld, \"ppl\": %.4f}\n", log_prob,
                    static_cast<long long>(tokens), ppl);
      break;
  }
  text += line;
}

// The lines of `path`, or of `in` when the path is empty.
std::vector<std::string> read_lines(const std::string& path, std::istream& in, const char* what) {
  std::vector<std::string> lines;
  if (path.empty()) {
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
    FERRY_CHECK(!in.bad(), Error, "reading the " << what << " lines from standard input failed");
    return lines;
  }
  LineReader reader(path);
  for (std::string line; reader.next(line);) lines.push_back(std::move(line));
  return lines;
}

std::string origin(const std::string& path) { return path.empty() ? "standard input" : path; }

}  // namespace

ScoringSummary score_pairs(std::istream& in, std::ostream& out, StepScorer& scorer,
                           const PairScoringInput& input) {
  FERRY_CHECK(input.text_only || !input.source_path.empty() || !input.reference_path.empty(), InternalError,
              "scoring reads both sides from standard input");
  const std::vector<std::string> reference_lines = read_lines(input.reference_path, in, "reference");
  const std::vector<std::string> source_lines = input.text_only
                                                    ? std::vector<std::string>(reference_lines.size())
                                                    : read_lines(input.source_path, in, "source");
  FERRY_CHECK(source_lines.size() == reference_lines.size(), InputError,
              "scoring needs one reference per source line: "
                  << source_lines.size() << " source lines in " << origin(input.source_path) << " but "
                  << reference_lines.size() << " reference lines in " << origin(input.reference_path));
  std::vector<TokenIds> sources, targets;
  for (size_t i = 0; i < source_lines.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    sources.push_back(input.text_only ? TokenIds()
                                      : prepare_reported(source_lines[i], *input.src_vocab,
                                                         input.max_input_length, "line " + number));
    targets.push_back(prepare_reported(reference_lines[i], *input.tgt_vocab, input.max_input_length,
                                       "reference line " + number));
  }
  const std::vector<double> log_probs = force_decode(scorer, sources, targets, input.limits);
  ScoringSummary summary;
  std::string text;
  for (size_t i = 0; i < log_probs.size(); ++i) {
    const auto tokens = static_cast<int64_t>(targets[i].size()) + 1;  // and </s>
    append_score(log_probs[i], tokens, input.format, text);
    summary.log_prob += log_probs[i];
    summary.tokens += tokens;
  }
  summary.pairs = log_probs.size();
  out << text << std::flush;
  FERRY_CHECK(out.good(), Error, "writing the scores failed");
  return summary;
}

}  // namespace ferry
