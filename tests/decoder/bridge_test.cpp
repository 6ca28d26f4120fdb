// The bridge against its naive reference, and its backward against central differences of
// loss = sum(w_h * h0) + sum(w_c * c0) with fixed random weights over every element of each encoder layer's
// final-state gradient and each parameter's: dense and zero, LSTM and GRU decoders, encoder and decoder
// stacks of equal depths and of different depths (every decoder layer then reads the top encoder layer, and
// their gradients add up there).
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

class BridgeTest : public ::testing::TestWithParam<BridgeParam> {
 protected:
  BridgeTest()
      : cell_(std::get<0>(GetParam())),
        config_(small_config({"lstm", std::get<2>(GetParam()), true, false},
                             {cell_, std::get<3>(GetParam()), "general", std::get<1>(GetParam()), false})),
        bridge_(params_, config_.decoder, config_.encoder.output_dim(), config_.encoder.layers, config_.precision) {
    randomize_parameters(params_, 11);
    for (int64_t l = 0; l < config_.encoder.layers; ++l) {
      final_h_.push_back(random_tensor({kBatch, config_.encoder.output_dim()}, 20 + l));
    }
  }

  static constexpr int64_t kBatch = 3;
  std::string cell_;
  ModelConfig config_;
  ParamRegistry params_;
  Bridge bridge_;
  std::vector<Tensor> final_h_;  // per encoder layer {N, D}
};

TEST_P(BridgeTest, MatchesReference) {
  std::vector<Tensor> h0, c0;
  bridge_.forward(final_h_, h0, c0);
  ASSERT_EQ(static_cast<int64_t>(h0.size()), config_.decoder.layers);
  for (int64_t n = 0; n < kBatch; ++n) {
    SCOPED_TRACE("sentence " + std::to_string(n));
    Vectors sentence_final_h;
    for (const Tensor& layer : final_h_) sentence_final_h.push_back(row_of(layer, n));
    const InitialStateReference expected = reference_bridge(params_, config_, sentence_final_h);
    Vectors h, c;
    for (size_t j = 0; j < h0.size(); ++j) {
      h.push_back(row_of(h0[j], n));
      if (cell_ == "lstm") c.push_back(row_of(c0[j], n));
    }
    EXPECT_TRUE(vectors_close(h, expected.h));
    EXPECT_TRUE(vectors_close(c, expected.c));
  }
  if (cell_ == "gru") {
    for (const Tensor& c : c0) EXPECT_TRUE(c.empty()) << "a GRU decoder has no cell state";
  }
}

TEST_P(BridgeTest, BackwardMatchesFiniteDifferences) {
  std::vector<Tensor> h0, c0;
  bridge_.forward(final_h_, h0, c0);
  const std::vector<Tensor> h_weights = random_tensors_like(h0, 30), c_weights = random_tensors_like(c0, 40);
  const auto loss = [&] {
    bridge_.forward(final_h_, h0, c0);
    return weighted_sum(h0, h_weights) + weighted_sum(c0, c_weights);
  };
  std::vector<Tensor> d_final_h;
  for (const Tensor& h : final_h_) d_final_h.emplace_back(h.dims());
  params_.zero_grads();
  loss();
  bridge_.backward(h_weights, c_weights, d_final_h);
  for (size_t l = 0; l < final_h_.size(); ++l) {
    EXPECT_TRUE(every_gradient_element_matches(final_h_[l], d_final_h[l], loss,
                                               "final_h of encoder layer " + std::to_string(l)));
  }
  EXPECT_TRUE(every_parameter_gradient_matches(params_, loss));
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
