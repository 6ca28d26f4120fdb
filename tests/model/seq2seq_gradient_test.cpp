// Seq2Seq::backward against finite differences of the per-token loss, for every parameter tensor of the
// model: each attention kind with both decoder cells, GRU and vanilla RNN encoders, a residual encoder, a
// tied output, a zero bridge, label smoothing, and dropout (its masks repeated by fixing the dropout step);
// and when backward() may be called.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/model_checks.h"
#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

struct GradientCase {
  std::string name;
  EncoderVariant encoder;
  DecoderVariant decoder;
  double dropout;
  float label_smoothing;
};

void PrintTo(const GradientCase& c, std::ostream* out) { *out << c.name; }

class Seq2SeqGradientTest : public ::testing::TestWithParam<GradientCase> {};

TEST_P(Seq2SeqGradientTest, EveryParameterMatchesFiniteDifferences) {
  const GradientCase& c = GetParam();
  Seq2Seq model(small_config(c.encoder, c.decoder, c.dropout), kTestSrcVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(model, random_batch({3, 0, 5}, {2, 4, 0}, 11), c.label_smoothing);
}

// One matrix for the source and target embeddings and the output layer: registered once (by the encoder), its
// gradient the sum of all three uses.
TEST(Seq2SeqGradient, OneMatrixForBothEmbeddingsAndTheOutput) {
  ModelConfig config = small_config({"lstm", 1, true, false}, {"gru", 1, "general", "dense", true});
  config.embedding.src_dim = config.embedding.tgt_dim = config.decoder.hidden;
  config.embedding.tie_all = true;
  Seq2Seq model(config, kTestSrcVocab, kTestSrcVocab, 1);
  EXPECT_TRUE(model.params().has("encoder/embedding/weight"));
  EXPECT_FALSE(model.params().has("decoder/embedding/weight"));
  for (const Parameter* p : model.params().all())
    EXPECT_EQ(p->name.find("output/weight"), std::string::npos) << p->name;
  expect_every_gradient_matches(model, batch_of(random_sentences({3, 1, 5}, kTestSrcVocab, 11),
                                                random_sentences({2, 4, 1}, kTestSrcVocab, 12)));
}

// Dropout masks drawn once per sentence (variational) in both stacks, and word dropout on both inputs.
TEST(Seq2SeqGradient, VariationalAndWordDropout) {
  ModelConfig config = small_config({"lstm", 2, true, false}, {"lstm", 2, "general", "dense", false}, 0.3);
  config.encoder.variational = config.decoder.variational = true;
  config.embedding.word_dropout = 0.3;
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(model, random_batch({4, 2, 5}, {3, 4, 2}, 11));
}

// The same with input feeding, whose step-wise pass applies the per-sentence masks a step at a time.
TEST(Seq2SeqGradient, VariationalDropoutWithInputFeeding) {
  ModelConfig config =
      small_config({"lstm", 1, true, false}, {"lstm", 2, "general", "dense", false, true}, 0.3);
  config.decoder.variational = true;
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(model, random_batch({4, 2, 5}, {3, 4, 2}, 11));
}

// Recurrent dropout: the decoder runs step by step in training, each layer's state between steps masked;
// with and without input feeding, with the tanh RNN cell, and in a language model (no attention).
TEST(Seq2SeqGradient, RecurrentDropout) {
  for (const bool feeding : {false, true}) {
    ModelConfig config =
        small_config({"lstm", 1, true, false}, {"lstm", 2, "mlp", "dense", false, feeding}, 0.2);
    config.decoder.recurrent_dropout = 0.4;
    Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
    SCOPED_TRACE(feeding ? "input feeding" : "no input feeding");
    expect_every_gradient_matches(model, random_batch({4, 2, 5}, {3, 4, 2}, 11));
  }
  ModelConfig rnn = small_config({"gru", 1, true, false}, {"rnn", 2, "general", "dense", false}, 0.0);
  rnn.decoder.recurrent_dropout = 0.5;
  Seq2Seq rnn_model(rnn, kTestSrcVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(rnn_model, random_batch({4, 2, 5}, {3, 4, 2}, 12));
  ModelConfig lm = small_lm_config("lstm", 2, false, 0.1);
  lm.decoder.recurrent_dropout = 0.5;
  Seq2Seq lm_model(lm, kTestTgtVocab, kTestTgtVocab, 1);
  expect_every_gradient_matches(lm_model, random_batch({1, 1, 1}, {3, 4, 2}, 13));
}

// The masks change the training loss, are drawn from the dropout step alone, and leave inference alone.
TEST(Seq2SeqDropout, RecurrentMasksFollowTheDropoutStepAndSkipInference) {
  ModelConfig config = small_config({"lstm", 1, true, false}, {"lstm", 2, "general", "dense", false}, 0.0);
  Seq2Seq plain(config, kTestSrcVocab, kTestTgtVocab, 1);
  config.decoder.recurrent_dropout = 0.5;
  Seq2Seq masked(config, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(plain.params(), 9);
  randomize_parameters(masked.params(), 9);
  const Batch batch = random_batch({3, 2, 5}, {4, 4, 3}, 11);
  const auto training_loss = [&](Seq2Seq& model, uint64_t step) {
    model.set_dropout_step(step);
    return model.forward(batch, true).loss;
  };
  const double at_four = training_loss(masked, 4);
  EXPECT_EQ(training_loss(masked, 4), at_four);
  EXPECT_NE(training_loss(masked, 5), at_four);
  EXPECT_NE(training_loss(plain, 4), at_four);
  EXPECT_EQ(masked.forward(batch, false).loss, plain.forward(batch, false).loss);
}

TEST(Seq2SeqGradient, OneMatrixNeedsOneVocabulary) {
  ModelConfig config = small_config({"lstm", 1, true, false}, {"gru", 1, "general", "dense", true});
  config.embedding.src_dim = config.embedding.tgt_dim = config.decoder.hidden;
  config.embedding.tie_all = true;
  EXPECT_THROW(Seq2Seq(config, kTestSrcVocab, kTestTgtVocab, 1), InternalError);
}

// What the dropout case relies on: with dropout on, training losses differ from inference, and the masks are
// a function of the dropout step alone.
TEST(Seq2SeqDropout, MasksFollowTheDropoutStep) {
  const ModelConfig config =
      small_config({"lstm", 2, true, true}, {"lstm", 2, "general", "dense", true}, 0.3);
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 9);
  const Batch batch = random_batch({3, 0, 5}, {2, 4, 0}, 11);
  const auto training_loss = [&](uint64_t step) {
    model.set_dropout_step(step);
    return model.forward(batch, true).loss;
  };
  const double at_four = training_loss(4);
  EXPECT_EQ(training_loss(7), training_loss(7));
  EXPECT_EQ(training_loss(4), at_four);
  EXPECT_NE(training_loss(5), at_four);
  EXPECT_NE(model.forward(batch, false).loss, at_four);
}

// backward() walks back the training forward just before it, once; an inference forward or a search begun
// since has reused that forward's buffers, and backward() says so instead of giving wrong gradients.
TEST(Seq2SeqBackward, NeedsTheTrainingForwardJustBefore) {
  const ModelConfig config = small_config({"lstm", 1, true, false}, {"lstm", 1, "general", "dense", false});
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  const Batch batch = random_batch({3, 0, 5}, {2, 4, 0}, 11);
  EXPECT_THROW(model.backward(), InternalError) << "no forward yet";
  model.forward(batch, true);
  model.forward(batch, false);
  EXPECT_THROW(model.backward(), InternalError) << "an inference forward since";
  model.forward(batch, true);
  SearchState search;
  model.begin_search(batch.src, batch.src_steps, batch.src_lengths, 2, search);
  EXPECT_THROW(model.backward(), InternalError) << "a search begun since";
  model.forward(batch, true);
  model.backward();
  EXPECT_THROW(model.backward(), InternalError) << "already walked back";
}

// Encoder and decoder stacks of equal depth (the bridge maps layer to layer) and of different depths (every
// decoder layer starts from the top encoder layer, the bridge's gradients adding up there).
const GradientCase kCases[] = {
    {"lstm_none", {"lstm", 2, true, false}, {"lstm", 2, "none", "dense", false}, 0.0, 0.0f},
    {"lstm_dot", {"lstm", 2, true, false}, {"lstm", 2, "dot", "dense", false}, 0.0, 0.0f},
    {"lstm_general", {"lstm", 2, true, false}, {"lstm", 2, "general", "dense", false}, 0.0, 0.0f},
    {"lstm_mlp", {"lstm", 2, true, false}, {"lstm", 2, "mlp", "dense", false}, 0.0, 0.0f},
    {"gru_none", {"lstm", 2, true, false}, {"gru", 2, "none", "dense", false}, 0.0, 0.0f},
    {"gru_dot", {"lstm", 2, true, false}, {"gru", 2, "dot", "dense", false}, 0.0, 0.0f},
    {"gru_general", {"lstm", 2, true, false}, {"gru", 2, "general", "dense", false}, 0.0, 0.0f},
    {"gru_mlp", {"lstm", 2, true, false}, {"gru", 2, "mlp", "dense", false}, 0.0, 0.0f},
    {"gru_encoder", {"gru", 1, true, false}, {"lstm", 2, "general", "dense", false}, 0.0, 0.0f},
    {"rnn_encoder", {"rnn", 2, false, false}, {"gru", 1, "mlp", "dense", false}, 0.0, 0.0f},
    {"rnn_decoder", {"lstm", 1, true, false}, {"rnn", 2, "general", "dense", false}, 0.0, 0.0f},
    {"rnn_decoder_no_attention", {"gru", 1, true, false}, {"rnn", 1, "none", "dense", false}, 0.0, 0.0f},
    {"residual_encoder", {"lstm", 3, true, true}, {"lstm", 3, "general", "dense", false}, 0.0, 0.0f},
    {"tied_output", {"gru", 1, true, false}, {"lstm", 1, "general", "dense", true}, 0.0, 0.0f},
    {"zero_bridge", {"lstm", 1, true, false}, {"gru", 2, "dot", "zero", false}, 0.0, 0.0f},
    {"label_smoothing", {"lstm", 1, true, false}, {"lstm", 1, "mlp", "dense", false}, 0.0, 0.1f},
    {"dropout", {"lstm", 2, true, true}, {"lstm", 2, "general", "dense", true}, 0.3, 0.0f},
    {"input_feeding_lstm", {"lstm", 1, true, false}, {"lstm", 2, "general", "dense", false, true}, 0.0, 0.0f},
    {"input_feeding_gru_mlp", {"lstm", 1, true, false}, {"gru", 2, "mlp", "dense", false, true}, 0.0, 0.0f},
    {"input_feeding_rnn_dot", {"gru", 1, true, false}, {"rnn", 1, "dot", "zero", false, true}, 0.0, 0.0f},
    {"input_feeding_dropout",
     {"lstm", 2, true, true},
     {"lstm", 2, "general", "dense", true, true},
     0.3,
     0.1f},
};

INSTANTIATE_TEST_SUITE_P(Cases, Seq2SeqGradientTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferry
