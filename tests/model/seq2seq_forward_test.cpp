// Seq2Seq::forward against the naive reference of the whole model: encoder variants crossed with every
// decoder variant (cells, attention, bridge, tying, one or two layers), on a batch of mixed source and target
// lengths, with and without label smoothing, in training (dropout 0) and inference mode.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/model_checks.h"

namespace ferry {
namespace {

using ModelParam = std::tuple<EncoderVariant, DecoderVariant>;

class Seq2SeqForwardTest : public ::testing::TestWithParam<ModelParam> {};

TEST_P(Seq2SeqForwardTest, LossMatchesReference) {
  const ModelConfig config = small_config(std::get<0>(GetParam()), std::get<1>(GetParam()));
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 3);
  expect_loss_matches_reference(model, random_batch({2, 5, 0, 3}, {4, 0, 2, 6}, 5));
}

// Encoders that together cover every cell, both directions, one to three layers and residual connections,
// against decoders of one and two layers (the bridge maps layers one to one or from the top layer).
const EncoderVariant kEncoders[] = {
    {"lstm", 2, true, false},
    {"gru", 1, false, false},
    {"rnn", 3, true, true},
    {"lstm", 2, false, true},
};

std::vector<DecoderVariant> decoders() {
  std::vector<DecoderVariant> variants = all_decoder_variants(1);
  for (const DecoderVariant& v : all_decoder_variants(2)) variants.push_back(v);
  return variants;
}

std::string model_case_name(const ::testing::TestParamInfo<ModelParam>& info) {
  return variant_name(std::get<0>(info.param)) + "_to_" + variant_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Variants, Seq2SeqForwardTest,
                         ::testing::Combine(::testing::ValuesIn(kEncoders), ::testing::ValuesIn(decoders())),
                         model_case_name);

}  // namespace
}  // namespace ferry
