// What a validation means for the run under early_stopping.metric (ppl: lower is better, bleu and chrf:
// higher is better): whether it improves on the best periodic validation (what early stopping and the plateau schedule
// count), whether the patience is used up, and whether model.bin is rewritten (the best of all validations).
#pragma once

#include <string>

#include "train/checkpoint.h"
#include "train/train_config.h"
#include "train/validator.h"

namespace ferry {

struct ValidationVerdict {
  std::string metric;     // the metric judged: early_stopping.metric, or ppl for a result without translations
  double value = 0;       // its value in the result
  bool improved = false;  // counted validations only: better than every earlier counted one
  bool stop = false;      // counted validations only: no improvement in `patience` of them
  bool save = false;      // better than every validation saved so far
};

// Judges `result` and records it in `progress`: a `counted` (periodic) validation updates best_metric and
// validations_without_improvement; one that is saved updates best_saved_metric.
ValidationVerdict judge_validation(const EarlyStoppingConfig& config, const ValidationResult& result,
                                   bool counted, TrainingProgress& progress);

// Whether `candidate` beats `best` under the metric ("ppl": lower, "bleu" and "chrf": higher); anything beats
// NaN.
bool improves(const std::string& metric, double candidate, double best);
// The value of the metric in a result.
double metric_value(const std::string& metric, const ValidationResult& result);

}  // namespace ferry
