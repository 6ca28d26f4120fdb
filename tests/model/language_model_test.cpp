// A language model (model.type lm): the decoder and output layer alone, started from zeros. Its loss against
// the naive reference (every cell, one and two layers, tied or not, with and without label smoothing), every
// gradient against finite differences (dropout included), what it registers, and that the batch's sources
// change nothing.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/model_checks.h"

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
