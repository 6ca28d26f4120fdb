#include "translate/model_set.h"

#include <tuple>

#include "util/error.h"

namespace ferry {
namespace {

const char* model_kind(const LoadedModel& model) {
  return model.config.language_model() ? "language model" : "translation model";
}

}  // namespace

ModelSet::ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision)
    : paths_(paths) {
  load_models(precision);
  make_scorers();
}

ModelSet::ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision,
                   const std::string& lm_path, double lm_weight)
    : paths_(paths), lm_weight_(lm_weight) {
  load_models(precision);
  language_model_.emplace(load_model(lm_path, precision));
  FERRY_CHECK(language_model_->config.language_model(), ModelFileError,
              lm_path << " is a translation model: --lm takes a language model (model.type lm)");
  FERRY_CHECK(language_model_->tgt_vocab.serialized() == first().tgt_vocab.serialized(), ModelFileError,
              lm_path << " has another vocabulary than the target vocabulary of " << paths_.front()
                      << ": a language model fused in translation must share it");
  make_scorers();
}

void ModelSet::load_models(const std::optional<Precision>& precision) {
  FERRY_CHECK(!paths_.empty(), InternalError, "a model set needs at least one model");
  for (const std::string& path : paths_) {
    models_.push_back(load_model(path, precision));
    const LoadedModel& model = models_.back();
    FERRY_CHECK(model.config.type == models_.front().config.type, ModelFileError,
                path << " is a " << model_kind(model) << " but " << paths_.front() << " is a "
                     << model_kind(models_.front()) << ": the models of an ensemble must be of one kind");
    for (const auto& [side, mine, theirs] :
         {std::tuple{"source", &model.src_vocab, &models_.front().src_vocab},
          std::tuple{"target", &model.tgt_vocab, &models_.front().tgt_vocab}}) {
      FERRY_CHECK(mine->serialized() == theirs->serialized(), ModelFileError,
                  path << " has another " << side << " vocabulary than " << paths_.front()
                       << ": the models of an ensemble must share both vocabularies");
    }
  }
}

std::unique_ptr<ModelSet> ModelSet::sharing_weights() const {
  std::unique_ptr<ModelSet> set(new ModelSet());
  set->paths_ = paths_;
  for (const LoadedModel& model : models_) set->models_.push_back(model_sharing_weights(model));
  if (language_model_) set->language_model_.emplace(model_sharing_weights(*language_model_));
  set->lm_weight_ = lm_weight_;
  set->make_scorers();
  return set;
}

void ModelSet::make_scorers() {
  for (LoadedModel& model : models_) scorers_.push_back(std::make_unique<ModelScorer>(*model.network));
  if (scorers_.size() > 1) {
    std::vector<StepScorer*> members;
    for (auto& scorer : scorers_) members.push_back(scorer.get());
    ensemble_ = std::make_unique<EnsembleScorer>(members);
  }
  if (language_model_) {
    language_model_scorer_ = std::make_unique<ModelScorer>(*language_model_->network);
    StepScorer& translation = ensemble_ ? static_cast<StepScorer&>(*ensemble_) : *scorers_.front();
    fusion_ = std::make_unique<FusionScorer>(translation, *language_model_scorer_, lm_weight_);
  }
}

StepScorer& ModelSet::scorer() {
  if (fusion_) return *fusion_;
  if (ensemble_) return *ensemble_;
  return *scorers_.front();
}

}  // namespace ferry
