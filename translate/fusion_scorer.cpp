#include "translate/fusion_scorer.h"

#include "util/error.h"

namespace ferry {

FusionScorer::FusionScorer(StepScorer& translation, StepScorer& language_model, double weight)
    : translation_(translation), language_model_(language_model), weight_(static_cast<float>(weight)) {
  FERRY_CHECK(
      translation.vocab() == language_model.vocab(), InternalError,
      "fusion of vocabularies of " << translation.vocab() << " and " << language_model.vocab() << " tokens");
  FERRY_CHECK(weight >= 0, InternalError, "language model weight " << weight);
}

void FusionScorer::begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) {
  translation_.begin(sources, rows_per_sentence);
  language_model_.begin(std::vector<TokenIds>(sources.size()), rows_per_sentence);
}

const Tensor& FusionScorer::step(const std::vector<int>& tokens) {
  const Tensor& translation = translation_.step(tokens);
  const Tensor& language_model = language_model_.step(tokens);
  FERRY_CHECK(translation.dims() == language_model.dims(), InternalError,
              "fusion of log-probabilities " << dims_text(translation.dims()) << " and "
                                             << dims_text(language_model.dims()));
  fused_.resize(translation.dims());
  const float* t = translation.data();
  const float* l = language_model.data();
  float* out = fused_.data();
  const int64_t n = fused_.numel();
  // At weight 0 nothing is added: 0 x -inf (an impossible token) would be NaN.
  for (int64_t i = 0; i < n; ++i) out[i] = weight_ == 0.0f ? t[i] : t[i] + weight_ * l[i];
  return fused_;
}

void FusionScorer::reorder_rows(const std::vector<int>& rows) {
  translation_.reorder_rows(rows);
  language_model_.reorder_rows(rows);
}

void FusionScorer::keep_sentences(const std::vector<int>& sentences) {
  translation_.keep_sentences(sentences);
  language_model_.keep_sentences(sentences);
}

}  // namespace ferry
