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
    scorers_.push_back(std::make_unique<ModelScorer>(*model.network));
  }
  if (scorers_.size() > 1) {
    std::vector<StepScorer*> members;
    for (auto& scorer : scorers_) members.push_back(scorer.get());
    ensemble_ = std::make_unique<EnsembleScorer>(members);
  }
}

ModelSet::ModelSet(const std::vector<std::string>& paths, const std::optional<Precision>& precision,
                   const std::string& lm_path, double lm_weight)
    : ModelSet(paths, precision) {
  language_model_.emplace(load_model(lm_path, precision));
  FERRY_CHECK(language_model_->config.language_model(), ModelFileError,
              lm_path << " is a translation model: --lm takes a language model (model.type lm)");
  FERRY_CHECK(language_model_->tgt_vocab.serialized() == first().tgt_vocab.serialized(), ModelFileError,
              lm_path << " has another vocabulary than the target vocabulary of " << paths_.front()
                      << ": a language model fused in translation must share it");
  language_model_scorer_ = std::make_unique<ModelScorer>(*language_model_->network);
  StepScorer& translation = ensemble_ ? static_cast<StepScorer&>(*ensemble_) : *scorers_.front();
  fusion_ = std::make_unique<FusionScorer>(translation, *language_model_scorer_, lm_weight);
}

StepScorer& ModelSet::scorer() {
  if (fusion_) return *fusion_;
  if (ensemble_) return *ensemble_;
  return *scorers_.front();
}

}  // namespace ferry
