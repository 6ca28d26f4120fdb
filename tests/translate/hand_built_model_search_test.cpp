// Search over a real network whose weights are set by hand so that its best output is known and greedy
// decoding misses it.
//
// The network is a bigram model of the target: with no attention and a zero bridge the encoder plays no part,
// and the decoder's LSTM forgets everything but its last input token:
//   - target embeddings: <s>, a and b are K times the unit vectors e0, e1, e2; every other token is 0;
//   - LSTM: input gate bias +B, forget gate bias -B, output gate bias +B (sigmoids of 1 and 0 up to e^-B),
//     candidate weights the identity, recurrent weights 0: c = tanh(x), h = tanh(tanh(x)) = s·e_j after token
//     j, with s = tanh(tanh(K));
//   - output layer: weight row j = log(p_j) / s and no bias, so that the logits after token j are log(p_j)
//     and the next-token distribution is p_j (normalised).
// The rows p_j over (pad, unk, <s>, </s>, a, b), the specials other than </s> all but impossible:
//   after <s>: a 0.6, b 0.4        greedy takes a ...
//   after a:   </s> 0.34, a 0.33, b 0.33   ... and ends there: P(a) = 0.6 · 0.34 = 0.204
//   after b:   </s> 0.9, a 0.05, b 0.05    while P(b) = 0.4 · 0.9 = 0.36 is the best sequence.
// The best sequence is not taken from this table but found by scoring every possible output with the
// network's own teacher-forced forward pass.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/thread_count.h"
#include "translate/model_scorer.h"
#include "translate/search.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

constexpr int kA = 4, kB = 5;
constexpr int64_t kVocab = 6;  // pad, unk, <s>, </s>, a, b
constexpr int64_t kHidden = 3;
constexpr float kInputScale = 3.0f;  // K
constexpr float kGateBias = 20.0f;   // B

ModelConfig bigram_config() {
  ModelConfig c;
  c.embedding = {2, kHidden, false};
  c.encoder = {CellKind::kLstm, 1, 2, false, false, 0.0, false};
  c.decoder = {CellKind::kLstm, 1, kHidden, AttentionKind::kNone, BridgeKind::kZero, 0.0, false};
  return c;
}

// The next-token probabilities after <s>, a and b (unnormalised where the specials take their share).
std::vector<std::vector<double>> bigram_rows() {
  constexpr double kNever = 1e-6;
  return {{kNever, kNever, kNever, kNever, 0.6, 0.4},
          {kNever, kNever, kNever, 0.34, 0.33, 0.33},
          {kNever, kNever, kNever, 0.9, 0.05, 0.05}};
}

// Sets the parameters described at the top of the file, by name; every other parameter stays 0.
void set_bigram_weights(Seq2Seq& model) {
  ParamRegistry& params = model.params();
  float* embedding = params.get("decoder/embedding/weight").value.data();  // {V, E}
  const int context_token[kHidden] = {kBosId, kA, kB};
  for (int j = 0; j < kHidden; ++j) embedding[context_token[j] * kHidden + j] = kInputScale;
  float* layer = params.get("decoder/l0/weights_layer").value.data();  // {E, 4 gates, H}: i, f, c~, o
  for (int j = 0; j < kHidden; ++j) layer[(j * 4 + 2) * kHidden + j] = 1.0f;
  float* bias = params.get("decoder/l0/bias").value.data();  // {4, H}
  for (int j = 0; j < kHidden; ++j) {
    bias[0 * kHidden + j] = kGateBias;
    bias[1 * kHidden + j] = -kGateBias;
    bias[3 * kHidden + j] = kGateBias;
  }
  const double s = std::tanh(std::tanh(static_cast<double>(kInputScale)));
  float* output = params.get("output/weight").value.data();  // {H, V}
  const auto rows = bigram_rows();
  for (int j = 0; j < kHidden; ++j)
    for (int v = 0; v < kVocab; ++v) output[j * kVocab + v] = static_cast<float>(std::log(rows[j][v]) / s);
  mark_changed(params);
}

// Every output the search may produce for the options (tokens other than pad and <s>, up to the length
// limit), with its log-probability under the teacher-forced forward pass.
struct Scored {
  TokenIds tokens;
  double log_prob;
};
std::vector<Scored> every_output(Seq2Seq& model, const TokenIds& source, int64_t max_tokens) {
  std::vector<Scored> all;
  std::vector<TokenIds> frontier = {{}};
  for (int64_t length = 0; length <= max_tokens; ++length) {
    std::vector<TokenIds> longer;
    for (const TokenIds& tokens : frontier) {
      const LossSum loss = model.forward(batch_of({source}, {tokens}), false);
      EXPECT_EQ(loss.tokens, length + 1);
      all.push_back({tokens, -loss.loss});
      for (int t : {kUnkId, kA, kB}) {
        TokenIds next = tokens;
        next.push_back(t);
        longer.push_back(next);
      }
    }
    frontier = longer;
  }
  return all;
}

NBest search(Seq2Seq& model, const TokenIds& source, const SearchOptions& options) {
  ModelScorer scorer(model);
  Search search(options);
  std::vector<NBest> results;
  search.run(scorer, {source}, {0}, results);
  EXPECT_EQ(results.size(), 1u);
  return results.at(0);
}

TEST(HandBuiltModelSearch, BeamFindsTheBestSequenceWhereGreedyDoesNot) {
  ScopedThreadCount threads(1);
  Seq2Seq model(bigram_config(), kVocab, kVocab, 1, Seq2Seq::Use::kInference);
  set_bigram_weights(model);
  const TokenIds source = {kA};
  SearchOptions options;
  options.normalization = LengthNormalization::kNone;  // the best sequence is the most probable one
  options.max_length_factor = 1.0;
  options.max_length_offset = 3;  // at most 4 tokens
  const int64_t max_tokens = max_output_length(static_cast<int64_t>(source.size()), options);
  ASSERT_EQ(max_tokens, 4);

  const std::vector<Scored> all = every_output(model, source, max_tokens);
  ASSERT_EQ(all.size(), 1u + 3 + 9 + 27 + 81);
  const Scored* best = &all.front();
  for (const Scored& s : all)
    if (s.log_prob > best->log_prob) best = &s;
  EXPECT_EQ(best->tokens, TokenIds{kB});
  EXPECT_NEAR(best->log_prob, std::log(0.4 * 0.9), 1e-3);

  options.beam_size = 1;
  const NBest greedy = search(model, source, options);
  ASSERT_EQ(greedy.size(), 1u);
  EXPECT_EQ(greedy[0].tokens, TokenIds{kA});
  EXPECT_NE(greedy[0].tokens, best->tokens);
  EXPECT_LT(greedy[0].log_prob, best->log_prob - 0.5);

  for (const int64_t beam : {2, 3}) {
    options.beam_size = beam;
    const NBest found = search(model, source, options);
    ASSERT_EQ(found.size(), 1u) << "beam " << beam;
    EXPECT_EQ(found[0].tokens, best->tokens) << "beam " << beam;
    EXPECT_NEAR(found[0].log_prob, best->log_prob, 1e-4) << "beam " << beam;
  }
}

}  // namespace
}  // namespace ferry
