// TokenInputStep (an RNN step whose input products come from a table per token) against the naive
// reference of the cell equations on the embedded tokens, at every cell kind; bf16 and int8 against f32; and
// InputGateTable's rows, growth, bound and refresh when a parameter changes, and its rows shared by tables over
// the same storage, from two threads at once.
#include "core/layers/token_input_step.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "core/context.h"
#include "support/numeric.h"
#include "support/rnn_reference.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr int64_t kVocab = 50, kEmbedding = 6, kHidden = 5;

// The parameters of an embedding and one RNN layer, random; the embedding's row 0 zero, as a pad row.
struct TokenLayer {
  explicit TokenLayer(CellKind cell) : cell(cell) {
    const int64_t gates = gate_count(cell);
    embedding = &params.add("embedding", {kVocab, kEmbedding}, Init::zeros());
    weights_layer = &params.add("weights_layer", {kEmbedding, gates, kHidden}, Init::zeros());
    weights_iter = &params.add("weights_iter", {kHidden, gates, kHidden}, Init::zeros());
    bias = &params.add("bias", {bias_gate_count(cell), kHidden}, Init::zeros());
    uint64_t seed = 11;
    for (Parameter* p : params.all()) {
      fill_random(p->value, seed++, 0.8f);
      p->changed();
    }
    std::fill(embedding->value.data(), embedding->value.data() + kEmbedding, 0.0f);
  }

  // The tokens' embeddings as one time step {1, N, E}.
  Tensor embedded(const std::vector<int32_t>& tokens) const {
    Tensor out({1, static_cast<int64_t>(tokens.size()), kEmbedding});
    for (size_t r = 0; r < tokens.size(); ++r) {
      for (int64_t e = 0; e < kEmbedding; ++e)
        out.data()[r * kEmbedding + e] = embedding->value.data()[tokens[r] * kEmbedding + e];
    }
    return out;
  }

  CellKind cell;
  ParamRegistry params{false};
  Parameter *embedding, *weights_layer, *weights_iter, *bias;
};

// Distinct and repeated tokens, more new ones in one call than a group of the table holds.
std::vector<int32_t> tokens_of_step(int step, int64_t rows) {
  std::vector<int32_t> tokens;
  for (int64_t r = 0; r < rows; ++r) tokens.push_back(static_cast<int32_t>((r * 7 + step * 3) % kVocab));
  return tokens;
}

class TokenInputStepTest : public ::testing::TestWithParam<CellKind> {};

TEST_P(TokenInputStepTest, StepsMatchTheReferenceOnTheEmbeddedTokens) {
  const CellKind cell = GetParam();
  const bool lstm = has_cell_state(cell);
  TokenLayer layer(cell);
  TokenInputStep step(cell, Precision::kF32, *layer.embedding, *layer.weights_layer, *layer.weights_iter,
                      *layer.bias);
  const int64_t rows = InputGateTable::kGroupRows + 9;
  Tensor h = random_tensor({rows, kHidden}, 21, 0.5f), c = lstm ? random_tensor({rows, kHidden}, 22, 0.5f) : Tensor();
  for (int t = 0; t < 3; ++t) {
    const std::vector<int32_t> tokens = tokens_of_step(t, rows);
    const RnnReferenceOutput expected = rnn_reference_forward(cell, layer.weights_layer->value,
                                                              layer.weights_iter->value, layer.bias->value,
                                                              layer.embedded(tokens), h, c);
    step.step(tokens, h, c);
    EXPECT_TRUE(all_close(h, expected.h_last, 1e-5, 1e-6)) << "h, step " << t;
    if (lstm) {
      EXPECT_TRUE(all_close(c, expected.c_last, 1e-5, 1e-6)) << "c, step " << t;
    }
  }
  EXPECT_EQ(step.table().size(), kVocab) << "every token of the steps holds one row";
}

TEST_P(TokenInputStepTest, LowerPrecisionsFollowF32) {
  const CellKind cell = GetParam();
  const bool lstm = has_cell_state(cell);
  std::vector<Precision> precisions;
  if (Context::has_bf16_dot_products()) precisions.push_back(Precision::kBf16);
  if (Context::has_int8_dot_products()) precisions.push_back(Precision::kInt8);
  if (precisions.empty()) GTEST_SKIP() << "this CPU has neither bf16 nor 8-bit dot-product instructions";
  TokenLayer layer(cell);
  for (const Precision precision : precisions) {
    TokenInputStep f32(cell, Precision::kF32, *layer.embedding, *layer.weights_layer, *layer.weights_iter,
                       *layer.bias);
    TokenInputStep low(cell, precision, *layer.embedding, *layer.weights_layer, *layer.weights_iter,
                       *layer.bias);
    const int64_t rows = 12;
    Tensor h = random_tensor({rows, kHidden}, 31, 0.5f), c = lstm ? random_tensor({rows, kHidden}, 32, 0.5f) : Tensor();
    Tensor h_low = h.clone(), c_low = lstm ? c.clone() : Tensor();
    for (int t = 0; t < 3; ++t) {
      const std::vector<int32_t> tokens = tokens_of_step(t, rows);
      f32.step(tokens, h, c);
      low.step(tokens, h_low, c_low);
      // One rounding of h (bf16: 2^-9 relative; int8: half a level of 1/127 of the row's range) in each of
      // the H terms of the recurrent product, through three steps.
      EXPECT_TRUE(all_close(h_low, h, 0, 2e-2)) << precision_name(precision) << ", step " << t;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cells, TokenInputStepTest,
                         ::testing::Values(CellKind::kLstm, CellKind::kGru, CellKind::kRnn),
                         [](const ::testing::TestParamInfo<CellKind>& info) {
                           return std::string(cell_name(info.param));
                         });

// Row v of the table as embedding[v]·W_x in double.
std::vector<double> expected_row(const TokenLayer& layer, int32_t token) {
  const int64_t width = layer.weights_layer->value.numel() / kEmbedding;
  std::vector<double> row(static_cast<size_t>(width), 0.0);
  for (int64_t n = 0; n < width; ++n) {
    for (int64_t e = 0; e < kEmbedding; ++e)
      row[n] += double{layer.embedding->value.data()[token * kEmbedding + e]} *
                double{layer.weights_layer->value.data()[e * width + n]};
  }
  return row;
}

void expect_rows(const TokenLayer& layer, const std::vector<int32_t>& tokens,
                 const std::vector<const float*>& rows, const std::string& when) {
  ASSERT_EQ(rows.size(), tokens.size()) << when;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::vector<double> expected = expected_row(layer, tokens[i]);
    for (size_t n = 0; n < expected.size(); ++n)
      ASSERT_NEAR(rows[i][n], expected[n], 1e-5) << when << ": token " << tokens[i] << ", column " << n;
  }
}

TEST(InputGateTable, HoldsOneRowPerTokenSeenAndFollowsParameterChanges) {
  TokenLayer layer(CellKind::kLstm);
  InputGateTable table(*layer.embedding, *layer.weights_layer);
  EXPECT_EQ(table.width(), 4 * kHidden);
  const std::vector<int32_t> first = {3, 9, 3, 0, 41};
  expect_rows(layer, first, table.rows(first), "first call");
  EXPECT_EQ(table.size(), 4);
  const std::vector<int32_t> again = {41, 9};
  expect_rows(layer, again, table.rows(again), "tokens seen");
  EXPECT_EQ(table.size(), 4) << "no row computed twice";

  layer.weights_layer->value.data()[1] += 0.5f;
  layer.weights_layer->changed();
  expect_rows(layer, again, table.rows(again), "after the input weights changed");
  EXPECT_EQ(table.size(), 2) << "rows of the old weights forgotten";
  layer.embedding->value.data()[9 * kEmbedding] -= 0.25f;
  layer.embedding->changed();
  expect_rows(layer, first, table.rows(first), "after the embedding changed");
}

// A second network's parameters on the first's values, as translation workers have them.
struct SharedTokenLayer {
  explicit SharedTokenLayer(const TokenLayer& first) : params(false, &first.params) {
    const int64_t gates = gate_count(first.cell);
    embedding = &params.add("embedding", {kVocab, kEmbedding}, Init::zeros());
    weights_layer = &params.add("weights_layer", {kEmbedding, gates, kHidden}, Init::zeros());
  }
  ParamRegistry params;
  Parameter *embedding, *weights_layer;
};

TEST(InputGateTable, TablesOverTheSameStorageShareTheirRows) {
  TokenLayer layer(CellKind::kLstm);
  SharedTokenLayer second(layer);
  InputGateTable table(*layer.embedding, *layer.weights_layer);
  InputGateTable other(*second.embedding, *second.weights_layer);
  const std::vector<int32_t> first = {3, 9, 3, 0, 41};
  table.rows(first);
  const std::vector<int32_t> tokens = {41, 9, 12};
  expect_rows(layer, tokens, other.rows(tokens), "rows of the shared table");
  EXPECT_EQ(other.size(), 5) << "the other table's four rows and one new";
  EXPECT_EQ(table.size(), 5);
}

TEST(InputGateTable, TablesSharingRowsServeTwoThreadsAtOnce) {
  TokenLayer layer(CellKind::kGru);
  SharedTokenLayer second(layer);
  InputGateTable tables[] = {{*layer.embedding, *layer.weights_layer}, {*second.embedding, *second.weights_layer}};
  std::vector<std::vector<double>> expected;
  for (int32_t v = 0; v < kVocab; ++v) expected.push_back(expected_row(layer, v));
  int wrong[2] = {0, 0};
  auto run = [&](int t) {
    for (int step = 0; step < 40; ++step) {
      const std::vector<int32_t> tokens = tokens_of_step(step * 2 + t, 3 + step % 17);
      const std::vector<const float*>& rows = tables[t].rows(tokens);
      for (size_t i = 0; i < tokens.size(); ++i)
        for (size_t n = 0; n < expected[0].size(); ++n)
          wrong[t] += std::abs(rows[i][n] - expected[static_cast<size_t>(tokens[i])][n]) > 1e-5;
    }
  };
  std::thread other(run, 1);
  run(0);
  other.join();
  EXPECT_EQ(wrong[0], 0);
  EXPECT_EQ(wrong[1], 0);
  EXPECT_EQ(tables[0].size(), tables[1].size());
}

TEST(InputGateTable, OnceFullComputesNewTokensForTheCallAlone) {
  TokenLayer layer(CellKind::kGru);
  InputGateTable table(*layer.embedding, *layer.weights_layer, 3);
  const std::vector<int32_t> tokens = {5, 6, 5, 7, 8, 9, 8};
  expect_rows(layer, tokens, table.rows(tokens), "past the table's rows");
  EXPECT_EQ(table.size(), 3) << "the first three tokens held";
  const std::vector<int32_t> again = {9, 5, 8, 10, 7};
  expect_rows(layer, again, table.rows(again), "held and passing tokens together");
  EXPECT_EQ(table.size(), 3);
}

TEST(InputGateTable, RefusesATokenOutsideTheVocabulary) {
  TokenLayer layer(CellKind::kRnn);
  InputGateTable table(*layer.embedding, *layer.weights_layer);
  EXPECT_THROW(table.rows({2, kVocab}), InternalError);
  EXPECT_THROW(table.rows({-1}), InternalError);
  EXPECT_EQ(table.size(), 0) << "a refused call adds no token";
  expect_rows(layer, {2}, table.rows({2}), "after the refused calls");
}

}  // namespace
}  // namespace ferry
