// The output layer against its naive reference: the summed cross-entropy over target rows with pads excluded,
// with and without label smoothing, untied and tied to the target embeddings; the search path's
// log-probabilities; and its backward against central differences of that loss (the layer's output) over
// every element of the attentional vectors' and each parameter's gradient, rows without a target getting
// exactly zero.
#include "decoder/output_layer.h"

#include <gtest/gtest.h>

#include <memory>
#include <tuple>
#include <vector>

#include "support/model_case.h"
#include "support/model_reference.h"
#include "support/numeric.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

// (tied, label smoothing)
class OutputLayerTest : public ::testing::TestWithParam<std::tuple<bool, float>> {
 protected:
  OutputLayerTest()
      : config_(
            small_config({"lstm", 1, true, false}, {"lstm", 1, "general", "dense", std::get<0>(GetParam())})),
        embedding_(params_, "decoder/embedding", kTestTgtVocab, config_.embedding.tgt_dim, kPadId),
        output_(params_, config_.decoder.hidden, kTestTgtVocab,
                config_.embedding.tie_target ? &embedding_ : nullptr) {
    randomize_parameters(params_, 41, 0.8f);
  }

  ModelConfig config_;
  ParamRegistry params_;
  Embedding embedding_;
  OutputLayer output_;
};

TEST_P(OutputLayerTest, LossMatchesReference) {
  const float smoothing = std::get<1>(GetParam());
  const int64_t steps = 3, batch = 4, hidden = config_.decoder.hidden;
  const Tensor attentional = random_tensor({steps, batch, hidden}, 42, 1.5f);
  const std::vector<int> targets = {5, kEosId, kPadId, 7, 3, kPadId, 8, kPadId, kPadId, 4, kPadId, kUnkId};
  double expected = 0;
  int64_t tokens = 0;
  for (size_t r = 0; r < targets.size(); ++r) {
    if (targets[r] == kPadId) continue;
    expected += reference_token_loss(reference_logits(params_, config_, row_of(attentional, r)), targets[r],
                                     smoothing);
    ++tokens;
  }
  for (bool keep_gradient : {false, true}) {
    const LossSum loss = output_.forward(attentional, targets, smoothing, 1.0f, keep_gradient);
    EXPECT_EQ(loss.tokens, tokens);
    EXPECT_NEAR(loss.loss, expected, kReferenceRtol * expected);
  }
}

TEST_P(OutputLayerTest, LogProbsMatchReference) {
  const Tensor rows = random_tensor({5, config_.decoder.hidden}, 43, 1.5f);
  Tensor log_probs;
  output_.log_probs(rows, log_probs);
  for (int64_t r = 0; r < rows.dim(0); ++r) {
    EXPECT_TRUE(vectors_close({row_of(log_probs, r)},
                              {log_softmax(reference_logits(params_, config_, row_of(rows, r)))}))
        << "row " << r;
  }
}

TEST_P(OutputLayerTest, BackwardMatchesFiniteDifferences) {
  const float smoothing = std::get<1>(GetParam()), grad_scale = 0.7f;
  // Time-major {T, N} targets of sentences with 3, 1 and 2 tokens, pads after.
  const std::vector<int> lengths = {3, 1, 2};
  const std::vector<int> targets = {5, kEosId, 4, 8, kPadId, kEosId, kEosId, kPadId, kPadId};
  Tensor attentional = random_tensor({3, 3, config_.decoder.hidden}, 44, 1.5f);
  const auto loss = [&] {
    return grad_scale * output_.forward(attentional, targets, smoothing, grad_scale, false).loss;
  };
  params_.zero_grads();
  output_.forward(attentional, targets, smoothing, grad_scale, true);
  Tensor d_attentional;
  output_.backward(d_attentional);
  EXPECT_TRUE(zero_after(d_attentional, lengths, "attentional gradient"));
  EXPECT_TRUE(every_gradient_element_matches(attentional, d_attentional, loss, "attentional"));
  EXPECT_TRUE(every_parameter_gradient_matches(params_, loss));

  const double before = loss();
  fill_after(attentional, lengths, 45);
  EXPECT_EQ(loss(), before) << "new attentional vectors at rows without a target";
}

INSTANTIATE_TEST_SUITE_P(Variants, OutputLayerTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(0.0f, 0.1f)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "tied" : "untied") +
                                  (std::get<1>(info.param) > 0 ? "_smoothed" : "");
                         });

}  // namespace
}  // namespace ferry
