#include "translate/output_writer.h"

#include <cstdio>

namespace ferry {
namespace {

const char* const kSeparator = " ||| ";

void append_score(double score, std::string& out) {
  char number[64];
  std::snprintf(number, sizeof number, "%.6f", score);
  out += kSeparator;
  out += number;
}

}  // namespace

OutputWriter::OutputWriter(const SubwordModel& src_vocab, const SubwordModel& tgt_vocab,
                           const OutputOptions& options)
    : src_vocab_(src_vocab), tgt_vocab_(tgt_vocab), options_(options) {}

void OutputWriter::write(size_t index, const TokenIds& source, const NBest& result, std::string& out) const {
  std::vector<int> source_words;
  if (options_.alignment != AlignmentKind::kNone) source_words = word_of_tokens(src_vocab_, source);
  const NBest none(1);
  const NBest& hypotheses = result.empty() ? none : result;
  if (!options_.n_best) {
    write_hypothesis(hypotheses.front(), source_words, out);
    return;
  }
  for (const Hypothesis& h : hypotheses) {
    out += std::to_string(index);
    out += kSeparator;
    write_hypothesis(h, source_words, out);
  }
}

void OutputWriter::write_hypothesis(const Hypothesis& h, const std::vector<int>& source_words,
                                    std::string& out) const {
  out += one_line_text(tgt_vocab_, h.tokens);
  if (options_.n_best || options_.scores) append_score(h.score, out);
  if (options_.alignment != AlignmentKind::kNone) {
    out += kSeparator;
    if (!h.attention.empty()) {
      const auto words = word_alignment(h.attention, source_words, word_of_tokens(tgt_vocab_, h.tokens));
      out += options_.alignment == AlignmentKind::kHard ? format_hard_alignment(words)
                                                        : format_soft_alignment(words);
    }
  }
  out += '\n';
}

std::string one_line_text(const SubwordModel& vocab, const TokenIds& ids) {
  std::string text = vocab.decode(ids);
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace ferry
