// The search's best tokens (OutputLayer::best_tokens, greedy search without scores) are the tokens its
// log-probabilities rank first, at every precision, tied to the target embeddings or not; pad and <s> never
// count however large their scores.
#include <gtest/gtest.h>

#include <limits>

#include "core/context.h"
#include "decoder/output_layer.h"
#include "support/numeric.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

constexpr int64_t kHidden = 16, kVocab = 50;

int first_ranked(const float* log_probs) {
  int best = -1;
  for (int v = 0; v < kVocab; ++v)
    if (v != kPadId && v != kBosId && (best < 0 || log_probs[v] > log_probs[best])) best = v;
  return best;
}

TEST(OutputLayerBestTokens, AreWhatLogProbsRankFirstAtEveryPrecision) {
  for (const Precision precision : {Precision::kF32, Precision::kBf16, Precision::kInt8}) {
    if (precision == Precision::kInt8 && !Context::has_int8_dot_products()) continue;
    if (precision == Precision::kBf16 && !Context::has_bf16_dot_products()) continue;
    for (const bool tied : {false, true}) {
      ParamRegistry params;
      Embedding table(params, "emb", kVocab, kHidden, 0);
      OutputLayer output(params, kHidden, kVocab, tied ? &table : nullptr, precision);
      for (Parameter* p : params.all()) fill_random(p->value, 19 + p->value.numel(), 0.5f);
      Parameter& bias = params.get("output/bias");
      bias.value.data()[kPadId] = bias.value.data()[kBosId] = 100.0f;
      bias.changed();
      const Tensor x = random_tensor({30, kHidden}, 20);
      Tensor log_probs;
      std::vector<int> best;
      output.log_probs(x, log_probs);
      output.best_tokens(x, best);
      ASSERT_EQ(best.size(), 30u);
      for (int64_t r = 0; r < 30; ++r)
        EXPECT_EQ(best[static_cast<size_t>(r)], first_ranked(log_probs.data() + r * kVocab))
            << precision_name(precision) << (tied ? " tied" : " untied") << ", row " << r;
    }
  }
}

}  // namespace
}  // namespace ferry
