// The encoder against its naive reference for every cell, direction, depth and residual setting on a batch of
// mixed lengths, and each sentence's encoding the same alone as inside any batch, in any column order.
#include "encoder/encoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/encoder_reference.h"
#include "support/model_case.h"

namespace ferry {
namespace {

// Source lengths before </s>: the longest sentence is not the first, and one is </s> alone.
const std::vector<int> kSourceLengths = {4, 1, 6, 0, 2};

// What an encoder gave for one column of its batch.
struct ColumnEncoding {
  Vectors states;   // [t < length][D]
  Vectors padding;  // [t >= length][D]
  Vectors final_h;  // [layer][D]
};

ColumnEncoding column_encoding(const EncoderOutput& out, int64_t n) {
  const int64_t steps = out.states.dim(0), length = out.lengths[n];
  ColumnEncoding column;
  const Vectors all = column_of(out.states, n, steps);
  column.states.assign(all.begin(), all.begin() + length);
  column.padding.assign(all.begin() + length, all.end());
  for (const Tensor& final_h : out.final_h) column.final_h.push_back(row_of(final_h, n));
  return column;
}

class EncoderTest : public ::testing::TestWithParam<EncoderVariant> {
 protected:
  EncoderTest()
      : config_(small_config(GetParam(), {"lstm", 1, "general", "dense", false})),
        encoder_(params_, config_, kTestSrcVocab, 1) {
    randomize_parameters(params_, 7);
  }

  // The encodings of the batch of `sentences` (columns in that order).
  std::vector<ColumnEncoding> encode(const std::vector<TokenIds>& sentences, bool training) {
    const Batch batch = batch_of(sentences, sentences);
    EncoderOutput out;
    encoder_.forward(batch.src, batch.src_steps, batch.src_lengths, training, out);
    EXPECT_EQ(out.lengths, batch.src_lengths);
    std::vector<ColumnEncoding> columns;
    for (int64_t n = 0; n < batch.size; ++n) columns.push_back(column_encoding(out, n));
    return columns;
  }

  ModelConfig config_;
  ParamRegistry params_;
  Encoder encoder_;
};

TEST_P(EncoderTest, MatchesReferenceOnMixedLengths) {
  const std::vector<TokenIds> sentences = random_sentences(kSourceLengths, kTestSrcVocab, 3);
  const Batch batch = batch_of(sentences, sentences);
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "training" : "inference");
    const std::vector<ColumnEncoding> columns = encode(sentences, training);
    for (int64_t n = 0; n < batch.size; ++n) {
      SCOPED_TRACE("sentence " + std::to_string(n));
      const EncoderReference expected =
          reference_encoder(params_, config_, column_ids(batch.src, batch.size, n, batch.src_lengths[n]));
      EXPECT_TRUE(vectors_close(columns[n].states, expected.states));
      EXPECT_TRUE(vectors_close(columns[n].final_h, expected.final_h));
      const Vectors zeros(columns[n].padding.size(), Vector(config_.encoder_output_dim(), 0.0));
      EXPECT_TRUE(vectors_close(columns[n].padding, zeros, 0.0, 0.0)) << "states at pads";
    }
  }
}

TEST_P(EncoderTest, SentenceEncodingDoesNotDependOnItsBatch) {
  const std::vector<TokenIds> sentences = random_sentences(kSourceLengths, kTestSrcVocab, 5);
  const std::vector<std::vector<size_t>> orders = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}};
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "training" : "inference");
    std::vector<ColumnEncoding> alone;
    for (const TokenIds& sentence : sentences) alone.push_back(encode({sentence}, training).front());
    for (const std::vector<size_t>& order : orders) {
      std::vector<TokenIds> permuted;
      for (size_t i : order) permuted.push_back(sentences[i]);
      const std::vector<ColumnEncoding> columns = encode(permuted, training);
      for (size_t k = 0; k < order.size(); ++k) {
        SCOPED_TRACE("sentence " + std::to_string(order[k]) + " in column " + std::to_string(k));
        EXPECT_TRUE(vectors_close(columns[k].states, alone[order[k]].states, 1e-6, 1e-7));
        EXPECT_TRUE(vectors_close(columns[k].final_h, alone[order[k]].final_h, 1e-6, 1e-7));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, EncoderTest, ::testing::ValuesIn(all_encoder_variants()),
                         [](const auto& info) { return variant_name(info.param); });

}  // namespace
}  // namespace ferry
