// Exactness for mixed lengths, end to end: each sentence's loss is the same alone as inside a batch of
// sentences of other lengths, in any column order, in training (dropout 0) and inference mode.
#include <gtest/gtest.h>

#include <numeric>
#include <tuple>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

using ModelParam = std::tuple<EncoderVariant, DecoderVariant>;

class Seq2SeqBatchInvariance : public ::testing::TestWithParam<ModelParam> {};

// The batch with every target but column n's replaced by pads: only that sentence's loss counts, while the
// others still share the batch.
Batch counting_only(Batch batch, int64_t n) {
  for (size_t i = 0; i < batch.tgt_out.size(); ++i) {
    if (static_cast<int64_t>(i) % batch.size != n) batch.tgt_out[i] = kPadId;
  }
  return batch;
}

TEST_P(Seq2SeqBatchInvariance, SentenceLossDoesNotDependOnItsBatch) {
  const ModelConfig config = small_config(std::get<0>(GetParam()), std::get<1>(GetParam()));
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 21);
  const std::vector<TokenIds> src = random_sentences({4, 1, 6, 0, 2}, kTestSrcVocab, 22);
  const std::vector<TokenIds> tgt = random_sentences({2, 5, 0, 3, 1}, kTestTgtVocab, 23);
  const std::vector<std::vector<size_t>> orders = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}};
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "training" : "inference");
    std::vector<double> alone;
    for (size_t i = 0; i < src.size(); ++i)
      alone.push_back(model.forward(batch_of({src[i]}, {tgt[i]}), training).loss);
    const double total = std::accumulate(alone.begin(), alone.end(), 0.0);
    for (const std::vector<size_t>& order : orders) {
      std::vector<TokenIds> src_columns, tgt_columns;
      for (size_t i : order) {
        src_columns.push_back(src[i]);
        tgt_columns.push_back(tgt[i]);
      }
      const Batch batch = batch_of(src_columns, tgt_columns);
      EXPECT_NEAR(model.forward(batch, training).loss, total, 1e-6 * total);
      for (size_t k = 0; k < order.size(); ++k) {
        SCOPED_TRACE("sentence " + std::to_string(order[k]) + " in column " + std::to_string(k));
        const LossSum loss = model.forward(counting_only(batch, static_cast<int64_t>(k)), training);
        EXPECT_EQ(loss.tokens, static_cast<int64_t>(tgt[order[k]].size()) + 1);
        EXPECT_NEAR(loss.loss, alone[order[k]], 1e-6 * alone[order[k]]);
      }
    }
  }
}

const EncoderVariant kEncoders[] = {
    {"lstm", 2, true, false},
    {"gru", 1, true, false},
    {"rnn", 2, false, true},
};

const DecoderVariant kDecoders[] = {
    {"lstm", 2, "general", "dense", false}, {"gru", 1, "mlp", "dense", false},
    {"lstm", 1, "dot", "zero", true},       {"gru", 2, "none", "dense", false},
    {"rnn", 2, "general", "dense", false},  {"lstm", 2, "general", "dense", false, true},
};

std::string model_case_name(const ::testing::TestParamInfo<ModelParam>& info) {
  return variant_name(std::get<0>(info.param)) + "_to_" + variant_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Variants, Seq2SeqBatchInvariance,
                         ::testing::Combine(::testing::ValuesIn(kEncoders), ::testing::ValuesIn(kDecoders)),
                         model_case_name);

}  // namespace
}  // namespace ferry
