#include "train/validation_verdict.h"

#include <cmath>

namespace ferry {

ValidationVerdict judge_validation(const EarlyStoppingConfig& config, const ValidationResult& result,
                                   bool counted, TrainingProgress& progress) {
  ValidationVerdict verdict;
  verdict.metric = std::isnan(metric_value(config.metric, result)) ? "ppl" : config.metric;
  verdict.value = metric_value(verdict.metric, result);
  if (counted) {
    verdict.improved = improves(verdict.metric, verdict.value, progress.best_metric);
    if (verdict.improved) {
      progress.best_metric = verdict.value;
      progress.validations_without_improvement = 0;
    } else {
      ++progress.validations_without_improvement;
    }
    verdict.stop = config.patience > 0 && progress.validations_without_improvement >= config.patience;
  }
  verdict.save = improves(verdict.metric, verdict.value, progress.best_saved_metric);
  if (verdict.save) progress.best_saved_metric = verdict.value;
  return verdict;
}

bool improves(const std::string& metric, double candidate, double best) {
  if (std::isnan(candidate)) return false;
  if (std::isnan(best)) return true;
  return metric == "ppl" ? candidate < best : candidate > best;
}

double metric_value(const std::string& metric, const ValidationResult& result) {
  if (metric == "ppl") return result.ppl;
  return metric == "chrf" ? result.chrf : result.bleu;
}

}  // namespace ferry
