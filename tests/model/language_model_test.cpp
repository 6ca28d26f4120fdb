// A language model (model.type lm): the decoder and output layer alone, started from zeros. Its loss against
// the naive reference (every cell, one and two layers, tied or not, with and without label smoothing), every
// gradient against finite differences (dropout included), what it registers, and that the batch's sources
// change nothing; a stream carried across batches.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "data/stream_batches.h"
#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/model_checks.h"
#include "support/numeric.h"
#include "util/rng.h"

namespace ferry {
namespace {

// (cell, layers, tied)
using LmParam = std::tuple<std::string, int64_t, bool>;

class LanguageModelTest : public ::testing::TestWithParam<LmParam> {
 protected:
  ModelConfig config(double dropout = 0.0) const {
    const auto& [cell, layers, tied] = GetParam();
    return small_lm_config(cell, layers, tied, dropout);
  }
};

TEST_P(LanguageModelTest, LossMatchesReference) {
  Seq2Seq model(config(), kTestTgtVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 3);
  expect_loss_matches_reference(model, random_batch({1, 1, 1, 1}, {4, 0, 2, 6}, 5));
}

TEST_P(LanguageModelTest, EveryGradientMatchesFiniteDifferences) {
  Seq2Seq model(config(0.3), kTestTgtVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(model, random_batch({1, 1, 1}, {2, 4, 0}, 11), 0.1f);
}

TEST_P(LanguageModelTest, RegistersTheDecoderAndOutputOnly) {
  Seq2Seq model(config(), kTestTgtVocab, kTestTgtVocab, 1);
  for (const Parameter* p : model.params().all()) {
    EXPECT_TRUE(p->name.rfind("decoder/", 0) == 0 || p->name.rfind("output/", 0) == 0) << p->name;
    EXPECT_EQ(p->name.find("attention"), std::string::npos) << p->name;
    EXPECT_EQ(p->name.find("combine"), std::string::npos) << p->name;
  }
}

TEST_P(LanguageModelTest, SourcesChangeNothing) {
  Seq2Seq model(config(), kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 3);
  const Batch plain = random_batch({1, 1}, {3, 5}, 7);
  Batch other = random_batch({4, 2}, {3, 5}, 7);
  EXPECT_EQ(other.tgt_in, plain.tgt_in);
  EXPECT_EQ(model.forward(plain, false).loss, model.forward(other, false).loss);
}

// Truncated backpropagation through time cuts a stream into batches and carries the state across them: two
// batches of T steps give the loss and the final state of one batch of 2T steps, in training (dropout off)
// and in inference.
TEST_P(LanguageModelTest, AStreamCarriedOverTwoBatchesEqualsOneBatch) {
  Seq2Seq model(config(), kTestTgtVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 5);
  Rng rng(9);
  std::vector<TokenIds> text(12);
  for (TokenIds& sentence : text) {
    for (uint64_t n = 1 + rng.below(4); n > 0; --n)
      sentence.push_back(static_cast<int>(kEosId + 1 + rng.below(kTestTgtVocab - kEosId - 1)));
  }
  const int64_t rows = 3;
  const StreamBatches whole(text, rows, 1000);
  ASSERT_EQ(whole.size(), 1);
  const int64_t half_steps = (whole.batch(0).tgt_steps + 1) / 2;
  const StreamBatches halves(text, rows, half_steps);
  ASSERT_EQ(halves.size(), 2);

  for (const bool training : {false, true}) {
    DecoderState one, two;
    const LossSum expected = model.forward(whole.batch(0), training, 0.0f, &one);
    LossSum sum = model.forward(halves.batch(0), training, 0.0f, &two);
    const LossSum second = model.forward(halves.batch(1), training, 0.0f, &two);
    sum.loss += second.loss;
    sum.tokens += second.tokens;
    EXPECT_EQ(sum.tokens, expected.tokens);
    EXPECT_NEAR(sum.loss, expected.loss, 1e-5 * expected.loss) << (training ? "training" : "inference");
    ASSERT_EQ(one.h.size(), two.h.size());
    for (size_t j = 0; j < one.h.size(); ++j) {
      EXPECT_TRUE(all_close(two.h[j], one.h[j], 1e-5, 1e-6)) << "layer " << j << " h, training " << training;
      if (!one.c[j].empty()) {
        EXPECT_TRUE(all_close(two.c[j], one.c[j], 1e-5, 1e-6))
            << "layer " << j << " c, training " << training;
      }
    }
  }
}

std::string lm_case_name(const ::testing::TestParamInfo<LmParam>& info) {
  const auto& [cell, layers, tied] = info.param;
  return cell + "_l" + std::to_string(layers) + (tied ? "_tied" : "");
}

INSTANTIATE_TEST_SUITE_P(Variants, LanguageModelTest,
                         ::testing::Combine(::testing::Values("lstm", "gru", "rnn"), ::testing::Values(1, 2),
                                            ::testing::Bool()),
                         lm_case_name);

}  // namespace
}  // namespace ferry
