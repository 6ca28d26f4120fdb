// Scoring a read corpus with the metrics a user asked for by name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/eval_corpus.h"

namespace ferry {

enum class MetricKind { kBleu, kChrf, kChrfPlusPlus };

// The name users write: "bleu", "chrf", "chrf++".
std::string metric_name(MetricKind metric);

// Parses a comma-separated list such as "bleu,chrf++", keeping the order and dropping repeats. InputError for
// an unknown name (listing the valid ones) or an empty list.
std::vector<MetricKind> parse_metric_list(const std::string& list);

struct CorpusEvaluation {
  size_t sentences = 0;
  size_t reference_files = 0;
  std::vector<MetricKind> metrics;  // as asked for; exactly these scores below are set
  std::optional<BleuScore> bleu;
  std::optional<ChrfScore> chrf;
  std::optional<ChrfScore> chrf_plus_plus;
};

CorpusEvaluation evaluate_corpus(const EvalCorpus& corpus, const std::vector<MetricKind>& metrics);

}  // namespace ferry
