// The bridge against its naive reference: dense and zero, LSTM and GRU decoders, encoder and decoder stacks
// of equal and of different depths.
#include "decoder/bridge.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "support/decoder_reference.h"
#include "support/model_case.h"
#include "support/numeric.h"

namespace ferry {
namespace {

// (decoder cell, bridge, encoder layers, decoder layers)
using BridgeParam = std::tuple<std::string, std::string, int64_t, int64_t>;

class BridgeTest : public ::testing::TestWithParam<BridgeParam> {};

TEST_P(BridgeTest, MatchesReference) {
  const auto& [cell, bridge_kind, encoder_layers, decoder_layers] = GetParam();
  const ModelConfig config = small_config({"lstm", encoder_layers, true, false},
                                          {cell, decoder_layers, "general", bridge_kind, false});
  ParamRegistry params;
  Bridge bridge(params, config);
  randomize_parameters(params, 11);
  const int64_t batch = 3;
  std::vector<Tensor> final_h;
  for (int64_t l = 0; l < encoder_layers; ++l) {
    final_h.push_back(random_tensor({batch, config.encoder_output_dim()}, 20 + l));
  }
  std::vector<Tensor> h0, c0;
  bridge.forward(final_h, h0, c0);
  ASSERT_EQ(static_cast<int64_t>(h0.size()), decoder_layers);
  for (int64_t n = 0; n < batch; ++n) {
    SCOPED_TRACE("sentence " + std::to_string(n));
    Vectors sentence_final_h;
    for (const Tensor& layer : final_h) sentence_final_h.push_back(row_of(layer, n));
    const InitialStateReference expected = reference_bridge(params, config, sentence_final_h);
    Vectors h, c;
    for (size_t j = 0; j < h0.size(); ++j) {
      h.push_back(row_of(h0[j], n));
      if (cell == "lstm") c.push_back(row_of(c0[j], n));
    }
    EXPECT_TRUE(vectors_close(h, expected.h));
    EXPECT_TRUE(vectors_close(c, expected.c));
  }
  if (cell == "gru") {
    for (const Tensor& c : c0) EXPECT_TRUE(c.empty()) << "a GRU decoder has no cell state";
  }
}

std::string bridge_case_name(const ::testing::TestParamInfo<BridgeParam>& info) {
  const auto& [cell, bridge, encoder_layers, decoder_layers] = info.param;
  return cell + "_" + bridge + "_encoder_l" + std::to_string(encoder_layers) + "_decoder_l" +
         std::to_string(decoder_layers);
}

INSTANTIATE_TEST_SUITE_P(Variants, BridgeTest,
                         ::testing::Combine(::testing::Values("lstm", "gru"),
                                            ::testing::Values("dense", "zero"), ::testing::Values(1, 2, 3),
                                            ::testing::Values(1, 2)),
                         bridge_case_name);

}  // namespace
}  // namespace ferry
