// The models translate runs: one, or several searched as an ensemble (see ensemble_scorer.h). All must share
// both vocabularies, checked as they are loaded.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model_file.h"
#include "translate/ensemble_scorer.h"
#include "translate/model_scorer.h"

namespace ferry {

class ModelSet {
 public:
  // Loads every model (ModelFileError naming the file for a damaged one, or for one whose source or target
  // vocabulary differs from the first model's). `precision` as load_model's.
  ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision);

  // The first model: its vocabularies and config serve the whole set.
  const LoadedModel& first() const { return models_.front(); }
  const std::string& first_path() const { return paths_.front(); }
  size_t size() const { return models_.size(); }
  // The first model's scorer, or the ensemble's.
  StepScorer& scorer();

 private:
  std::vector<std::string> paths_;
  std::vector<LoadedModel> models_;
  std::vector<std::unique_ptr<ModelScorer>> scorers_;
  std::unique_ptr<EnsembleScorer> ensemble_;
};

}  // namespace ferry
