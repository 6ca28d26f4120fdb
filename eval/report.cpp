#include "eval/report.h"

#include <charconv>
#include <cstdio>
#include <sstream>

namespace ferry {
namespace {

// The shortest text that reads back as the same double.
std::string json_number(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

std::string json_string(const std::string& value) {
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      quoted += escaped;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

std::string bleu_json(const BleuScore& bleu) {
  std::ostringstream out;
  out << "{\"score\": " << json_number(bleu.score) << ", \"precisions\": [";
  for (size_t i = 0; i < bleu.precisions.size(); ++i)
    out << (i ? ", " : "") << json_number(bleu.precisions[i]);
  out << "], \"bp\": " << json_number(bleu.bp) << ", \"ratio\": " << json_number(bleu.ratio)
      << ", \"hyp_len\": " << bleu.hyp_len << ", \"ref_len\": " << bleu.ref_len
      << ", \"line\": " << json_string(bleu.format()) << "}";
  return out.str();
}

std::string chrf_json(const ChrfScore& chrf) {
  std::ostringstream out;
  out << "{\"score\": " << json_number(chrf.score) << ", \"char_order\": " << chrf.char_order
      << ", \"word_order\": " << chrf.word_order << ", \"beta\": " << chrf.beta
      << ", \"line\": " << json_string(chrf.format()) << "}";
  return out.str();
}

}  // namespace

std::string format_score_lines(const CorpusEvaluation& evaluation) {
  std::string lines;
  for (const MetricKind metric : evaluation.metrics) {
    switch (metric) {
      case MetricKind::kBleu:
        lines += evaluation.bleu->format();
        break;
      case MetricKind::kChrf:
        lines += evaluation.chrf->format();
        break;
      case MetricKind::kChrfPlusPlus:
        lines += evaluation.chrf_plus_plus->format();
        break;
    }
    lines += '\n';
  }
  return lines;
}

std::string format_json(const CorpusEvaluation& evaluation) {
  std::ostringstream out;
  out << "{\"sentences\": " << evaluation.sentences << ", \"references\": " << evaluation.reference_files;
  for (const MetricKind metric : evaluation.metrics) {
    out << ", " << json_string(metric_name(metric)) << ": ";
    switch (metric) {
      case MetricKind::kBleu:
        out << bleu_json(*evaluation.bleu);
        break;
      case MetricKind::kChrf:
        out << chrf_json(*evaluation.chrf);
        break;
      case MetricKind::kChrfPlusPlus:
        out << chrf_json(*evaluation.chrf_plus_plus);
        break;
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace ferry
