// The encoder against its naive reference for every cell, direction, depth and residual setting on a batch of
// mixed lengths, and each sentence's encoding the same alone as inside any batch, in any column order. Its
// backward against central differences of loss = sum(w * states) + sum over layers of sum(w_l * final_h[l])
// with fixed random weights, over every element of each parameter's gradient, for a set of variants covering
// each cell, both directions, one to three layers and residual connections; and what padding positions hold
// changes neither the loss nor any gradient; states and gradients are the same on one, two and three threads.
#include "encoder/encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/encoder_reference.h"
#include "support/model_case.h"
#include "support/numeric.h"
#include "support/thread_count.h"
#include "util/special_ids.h"

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
        encoder_(params_, config_.encoder, config_.embedding.src_dim, kTestSrcVocab, config_.precision, 1) {
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
      const Vectors zeros(columns[n].padding.size(), Vector(config_.encoder.output_dim(), 0.0));
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

// Three sentences of 5, 1 and 7 tokens with </s>.
class EncoderGradientTest : public EncoderTest {
 protected:
  EncoderGradientTest() : batch_(random_batch({4, 0, 6}, {0, 0, 0}, 8)) {
    forward(batch_);
    state_weights_ = random_tensor(out_.states.dims(), 9);
    final_weights_ = random_tensors_like(out_.final_h, 10);
  }

  void forward(const Batch& batch) {
    encoder_.forward(batch.src, batch.src_steps, batch.src_lengths, true, out_);
  }
  double weighted_output() const {
    return weighted_sum(out_.states, state_weights_) + weighted_sum(out_.final_h, final_weights_);
  }
  // The loss of `batch` and, in the parameters' grads, its gradient.
  double loss_and_gradient(const Batch& batch) {
    params_.zero_grads();
    forward(batch);
    const double loss = weighted_output();
    encoder_.backward(state_weights_, final_weights_);
    return loss;
  }

  Batch batch_;
  EncoderOutput out_;
  Tensor state_weights_;
  std::vector<Tensor> final_weights_;
};

TEST_P(EncoderGradientTest, BackwardMatchesFiniteDifferences) {
  loss_and_gradient(batch_);
  const auto loss = [this] {
    forward(batch_);
    return weighted_output();
  };
  EXPECT_TRUE(every_parameter_gradient_matches(params_, loss));
}

TEST_P(EncoderGradientTest, PaddingChangesNothing) {
  const double loss = loss_and_gradient(batch_);
  std::vector<Tensor> grads;
  for (const Parameter* p : params_.all()) grads.push_back(p->grad.clone());
  Batch words_in_padding = batch_;
  for (int64_t n = 0; n < batch_.size; ++n) {
    for (int64_t t = batch_.src_lengths[n]; t < batch_.src_steps; ++t)
      words_in_padding.src[t * batch_.size + n] =
          static_cast<int>(kEosId + 1 + (t + n) % (kTestSrcVocab - kEosId - 1));
  }
  EXPECT_EQ(loss_and_gradient(words_in_padding), loss);
  for (size_t i = 0; i < grads.size(); ++i) {
    EXPECT_TRUE(all_close(params_.all()[i]->grad, grads[i], 0.0)) << params_.all()[i]->name;
  }
}

// On two threads the directions of a bidirectional layer run at the same time, one thread each; on one or
// three, one after the other. Primitives created on three threads run again inside the two-thread team.
TEST_P(EncoderGradientTest, SameStatesAndGradientsOnThreeTwoAndOneThreads) {
  struct Result {
    double loss;
    Tensor states;
    std::vector<Tensor> grads;
  };
  const auto run = [this] {
    Result result{loss_and_gradient(batch_), out_.states.clone(), {}};
    for (const Parameter* p : params_.all()) result.grads.push_back(p->grad.clone());
    return result;
  };
  const Result three = with_threads(3, run);
  for (int threads : {2, 1}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    const Result other = with_threads(threads, run);
    EXPECT_NEAR(other.loss, three.loss, 1e-9 * std::abs(three.loss));
    EXPECT_TRUE(all_close(other.states, three.states, 1e-6));
    for (size_t i = 0; i < other.grads.size(); ++i)
      EXPECT_TRUE(all_close(other.grads[i], three.grads[i], 1e-6)) << params_.all()[i]->name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Variants, EncoderGradientTest,
    ::testing::Values(EncoderVariant{"lstm", 1, true, false}, EncoderVariant{"lstm", 2, true, false},
                      EncoderVariant{"lstm", 3, true, true}, EncoderVariant{"gru", 2, true, true},
                      EncoderVariant{"gru", 1, false, false}, EncoderVariant{"rnn", 3, false, true}),
    [](const auto& info) { return variant_name(info.param); });

}  // namespace
}  // namespace ferry
