// The decoder's whole-sequence path against its naive reference, and its backward against central
// differences of loss = sum(w * out) with fixed random w (so d_out = w) over every element of the initial
// state's, the memory's and each parameter's gradient: LSTM and GRU, one and two layers, every kind of
// attention, targets of mixed lengths over sources of mixed lengths whose padding holds values that must not
// matter (and gets exactly zero gradient).
#include "decoder/decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/decoder_reference.h"
#include "support/model_case.h"
#include "support/numeric.h"

namespace ferry {
namespace {

constexpr int64_t kSourceSteps = 5;
const std::vector<int> kSourceLengths = {5, 2, 1};
const std::vector<int> kTargetLengths = {2, 0, 5};  // before </s>

class DecoderTest : public ::testing::TestWithParam<DecoderVariant> {
 protected:
  DecoderTest()
      : config_(small_config({"lstm", 1, true, false}, GetParam())),
        decoder_(params_, config_.decoder, config_.embedding.tgt_dim, kTestTgtVocab, config_.encoder.output_dim(),
                 config_.embedding.tie_target, config_.precision, 1),
        batch_(random_batch({0, 0, 0}, kTargetLengths, 19)),  // only its target side is read
        memory_(random_tensor({kSourceSteps, batch_.size, config_.encoder.output_dim()}, 23)) {
    randomize_parameters(params_, 17);
    for (int64_t j = 0; j < config_.decoder.layers; ++j) {
      initial_.h.push_back(random_tensor({batch_.size, hidden()}, 24 + j, 0.8f));
      initial_.c.push_back(lstm() ? random_tensor({batch_.size, hidden()}, 26 + j) : Tensor());
    }
  }

  int64_t hidden() const { return config_.decoder.hidden; }
  bool lstm() const { return has_cell_state(config_.decoder.cell); }
  void forward(bool training, Tensor& out) {
    decoder_.forward(batch_.tgt_in, batch_.tgt_steps, initial_, memory_, kSourceLengths, training, out);
  }

  ModelConfig config_;
  ParamRegistry params_;
  Decoder decoder_;
  Batch batch_;
  Tensor memory_;  // {S, N, D}
  DecoderState initial_;
};

TEST_P(DecoderTest, WholeSequenceMatchesReference) {
  const int64_t sentences = batch_.size;
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "training" : "inference");
    Tensor out;
    forward(training, out);
    ASSERT_EQ(out.dims(), (Dims{batch_.tgt_steps, sentences, hidden()}));
    for (int64_t n = 0; n < sentences; ++n) {
      SCOPED_TRACE("sentence " + std::to_string(n));
      InitialStateReference sentence_initial;
      for (int64_t j = 0; j < config_.decoder.layers; ++j) {
        sentence_initial.h.push_back(row_of(initial_.h[j], n));
        if (lstm()) sentence_initial.c.push_back(row_of(initial_.c[j], n));
      }
      const int length = batch_.tgt_lengths[n];
      const Vectors expected =
          reference_decoder(params_, config_, column_ids(batch_.tgt_in, sentences, n, length),
                            sentence_initial, column_of(memory_, n, kSourceLengths[n]));
      EXPECT_TRUE(vectors_close(column_of(out, n, length), expected));
    }
  }
}

TEST_P(DecoderTest, BackwardMatchesFiniteDifferences) {
  Tensor out;
  forward(true, out);
  const Tensor loss_weights = random_tensor(out.dims(), 28);
  const auto loss = [&] {
    forward(true, out);
    return weighted_sum(out, loss_weights);
  };
  DecoderState d_initial;
  Tensor d_memory(memory_.dims());
  params_.zero_grads();
  loss();
  decoder_.backward(loss_weights, d_initial, d_memory);
  EXPECT_TRUE(zero_after(d_memory, kSourceLengths, "memory gradient"));
  for (int64_t j = 0; j < config_.decoder.layers; ++j) {
    const std::string layer = " of layer " + std::to_string(j);
    EXPECT_TRUE(every_gradient_element_matches(initial_.h[j], d_initial.h[j], loss, "initial h" + layer));
    if (lstm()) {
      EXPECT_TRUE(every_gradient_element_matches(initial_.c[j], d_initial.c[j], loss, "initial c" + layer));
    }
  }
  EXPECT_TRUE(every_gradient_element_matches(memory_, d_memory, loss, "memory"));
  EXPECT_TRUE(every_parameter_gradient_matches(params_, loss));

  const double before = loss();
  fill_after(memory_, kSourceLengths, 29);
  EXPECT_EQ(loss(), before) << "new values at the padding positions of the memory";
}

std::vector<DecoderVariant> decoder_variants() {
  std::vector<DecoderVariant> variants;
  for (int64_t layers : {1, 2}) {
    for (const DecoderVariant& v : all_decoder_variants(layers)) {
      if (v.bridge == "dense" && !v.tied)
        variants.push_back(v);  // the bridge and tying are not the decoder's
    }
  }
  return variants;
}

INSTANTIATE_TEST_SUITE_P(Variants, DecoderTest, ::testing::ValuesIn(decoder_variants()),
                         [](const auto& info) { return variant_name(info.param); });

}  // namespace
}  // namespace ferry
