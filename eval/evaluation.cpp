#include "eval/evaluation.h"

#include <algorithm>
#include <sstream>

#include "util/error.h"

namespace ferry {
namespace {

constexpr MetricKind kAllMetrics[] = {MetricKind::kBleu, MetricKind::kChrf, MetricKind::kChrfPlusPlus};

std::string valid_names() {
  std::string names;
  for (const MetricKind metric : kAllMetrics) names += (names.empty() ? "" : ", ") + metric_name(metric);
  return names;
}

}  // namespace

std::string metric_name(MetricKind metric) {
  switch (metric) {
    case MetricKind::kBleu:
      return "bleu";
    case MetricKind::kChrf:
      return "chrf";
    case MetricKind::kChrfPlusPlus:
      return "chrf++";
  }
  FERRY_THROW(InternalError, "unknown metric kind " << static_cast<int>(metric));
}

std::vector<MetricKind> parse_metric_list(const std::string& list) {
  std::vector<MetricKind> metrics;
  std::istringstream items(list);
  for (std::string name; std::getline(items, name, ',');) {
    const auto* found = std::find_if(std::begin(kAllMetrics), std::end(kAllMetrics),
                                     [&](MetricKind metric) { return metric_name(metric) == name; });
    FERRY_CHECK(
        found != std::end(kAllMetrics), InputError,
        "unknown metric '" << name << "' in --metrics '" << list << "'; valid metrics: " << valid_names());
    if (std::find(metrics.begin(), metrics.end(), *found) == metrics.end()) metrics.push_back(*found);
  }
  FERRY_CHECK(!metrics.empty(), InputError, "no metric given; valid metrics: " << valid_names());
  return metrics;
}

CorpusEvaluation evaluate_corpus(const EvalCorpus& corpus, const std::vector<MetricKind>& metrics) {
  CorpusEvaluation evaluation;
  evaluation.sentences = corpus.hypotheses.size();
  evaluation.reference_files = corpus.references.size();
  evaluation.metrics = metrics;
  for (const MetricKind metric : metrics) {
    switch (metric) {
      case MetricKind::kBleu:
        evaluation.bleu = corpus_bleu(corpus.hypotheses, corpus.references);
        break;
      case MetricKind::kChrf:
        evaluation.chrf = corpus_chrf(corpus.hypotheses, corpus.references, chrf_options());
        break;
      case MetricKind::kChrfPlusPlus:
        evaluation.chrf_plus_plus =
            corpus_chrf(corpus.hypotheses, corpus.references, chrf_plus_plus_options());
        break;
    }
  }
  return evaluation;
}

}  // namespace ferry
