// The models translate runs: one, or several searched as an ensemble (see ensemble_scorer.h), optionally
// fused with a target-language model (see fusion_scorer.h). All must share both vocabularies, the language
// model the target one, checked as they are loaded.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model_file.h"
#include "translate/ensemble_scorer.h"
#include "translate/fusion_scorer.h"
#include "translate/model_scorer.h"

namespace ferry {

class ModelSet {
 public:
  // Loads every model (ModelFileError naming the file for a damaged one, or for one whose source or target
  // vocabulary differs from the first model's). `precision` as load_model's.
  ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision);
  // The same, fused with the language model at `lm_path` (ModelFileError if it is not a language model or
  // its vocabulary is not the models' target vocabulary) with weight `lm_weight`.
  ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision,
           const std::string& lm_path, double lm_weight);

  // The same set for a search on another thread: its networks' buffers and primitives are its own, their
  // weights this set's, shared, not copied.
  std::unique_ptr<ModelSet> sharing_weights() const;

  // The first model: its vocabularies and config serve the whole set.
  const LoadedModel& first() const { return models_.front(); }
  const std::string& first_path() const { return paths_.front(); }
  size_t size() const { return models_.size(); }
  // The first model's scorer, or the ensemble's, fused with the language model when there is one.
  StepScorer& scorer();

 private:
  ModelSet() = default;
  // Loads and checks models_ from paths_.
  void load_models(const std::optional<Precision>& precision);
  // The scorers of models_ and language_model_, once they are there.
  void make_scorers();

  std::vector<std::string> paths_;
  std::vector<LoadedModel> models_;
  std::vector<std::unique_ptr<ModelScorer>> scorers_;
  std::unique_ptr<EnsembleScorer> ensemble_;
  std::optional<LoadedModel> language_model_;
  double lm_weight_ = 0;
  std::unique_ptr<ModelScorer> language_model_scorer_;
  std::unique_ptr<FusionScorer> fusion_;
};

}  // namespace ferry
