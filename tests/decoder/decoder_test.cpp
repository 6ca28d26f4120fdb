// The decoder's whole-sequence path against its naive reference: LSTM and GRU, one and two layers, every kind
// of attention, targets of mixed lengths over sources of mixed lengths whose padding holds values that must
// not matter.
#include "decoder/decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/decoder_reference.h"
#include "support/model_case.h"
#include "support/numeric.h"

namespace ferry {
namespace {

constexpr int64_t kSourceSteps = 5;
const std::vector<int> kSourceLengths = {5, 2, 1};
const std::vector<int> kTargetLengths = {2, 0, 5};  // before </s>

class DecoderTest : public ::testing::TestWithParam<DecoderVariant> {};

TEST_P(DecoderTest, WholeSequenceMatchesReference) {
  const ModelConfig config = small_config({"lstm", 1, true, false}, GetParam());
  ParamRegistry params;
  Decoder decoder(params, config, kTestTgtVocab, 1);
  randomize_parameters(params, 17);
  const Batch batch = random_batch({0, 0, 0}, kTargetLengths, 19);  // only its target side is read
  const int64_t sentences = batch.size, hidden = config.decoder.hidden;
  const Tensor memory = random_tensor({kSourceSteps, sentences, config.encoder_output_dim()}, 23);
  DecoderState initial;
  for (int64_t j = 0; j < config.decoder.layers; ++j) {
    initial.h.push_back(random_tensor({sentences, hidden}, 24 + j, 0.8f));
    initial.c.push_back(config.decoder.cell == "lstm" ? random_tensor({sentences, hidden}, 26 + j)
                                                      : Tensor());
  }
  for (bool training : {false, true}) {
    SCOPED_TRACE(training ? "training" : "inference");
    Tensor out;
    decoder.forward(batch.tgt_in, batch.tgt_steps, initial, memory, kSourceLengths, training, out);
    ASSERT_EQ(out.dims(), (Dims{batch.tgt_steps, sentences, hidden}));
    for (int64_t n = 0; n < sentences; ++n) {
      SCOPED_TRACE("sentence " + std::to_string(n));
      InitialStateReference sentence_initial;
      for (int64_t j = 0; j < config.decoder.layers; ++j) {
        sentence_initial.h.push_back(row_of(initial.h[j], n));
        if (!initial.c[j].empty()) sentence_initial.c.push_back(row_of(initial.c[j], n));
      }
      const int length = batch.tgt_lengths[n];
      const Vectors expected =
          reference_decoder(params, config, column_ids(batch.tgt_in, sentences, n, length), sentence_initial,
                            column_of(memory, n, kSourceLengths[n]));
      EXPECT_TRUE(vectors_close(column_of(out, n, length), expected));
    }
  }
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
