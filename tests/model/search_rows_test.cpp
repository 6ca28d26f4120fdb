// Rearranging search rows keeps each row's state: after reorder_rows every row continues the state of the row
// it was taken from (rows may repeat), and after keep_sentences the kept sentences continue unchanged, for
// each decoder cell and attention kind.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/reference_math.h"
#include "util/rng.h"

namespace ferry {
namespace {

// (decoder cell, attention, input feeding)
using RowsParam = std::tuple<std::string, std::string, bool>;

class SearchRowsTest : public ::testing::TestWithParam<RowsParam> {
 protected:
  SearchRowsTest()
      : model_(small_config({"gru", 1, true, false}, {std::get<0>(GetParam()), 2, std::get<1>(GetParam()),
                                                      "dense", false, std::get<2>(GetParam())}),
               kTestSrcVocab, kTestTgtVocab, 1),
        sources_(random_batch({4, 1, 6}, {1, 1, 1}, 61)) {
    randomize_parameters(model_.params(), 62);
  }

  // Random tokens of step t for `rows` rows, different from row to row.
  static std::vector<int> step_tokens(int t, int64_t rows) {
    Rng rng(70 + static_cast<uint64_t>(t));
    std::vector<int> tokens(static_cast<size_t>(rows));
    for (int& token : tokens) token = 4 + static_cast<int>(rng.below(kTestTgtVocab - 4));
    return tokens;
  }

  // Begins a search with `beam` rows per sentence and feeds it the tokens of steps 0 and 1.
  void start(SearchState& state, int64_t beam) {
    model_.begin_search(sources_.src, sources_.src_steps, sources_.src_lengths, beam, state);
    Tensor log_probs;
    for (int t = 0; t < 2; ++t) model_.search_step(step_tokens(t, sources_.size * beam), state, log_probs);
  }

  // Feeds rows `rows` of step t's tokens; returns the log-probabilities and attention weights, one vector a
  // row.
  std::pair<Vectors, Vectors> step(SearchState& state, int t, const std::vector<int>& rows) {
    const std::vector<int> all = step_tokens(t, sources_.size * state.rows_per_sentence);
    std::vector<int> tokens;
    for (int r : rows) tokens.push_back(all[r]);
    Tensor log_probs;
    model_.search_step(tokens, state, log_probs);
    std::pair<Vectors, Vectors> out;
    for (int64_t r = 0; r < log_probs.dim(0); ++r) {
      out.first.push_back(row_of(log_probs, r));
      if (!state.attention.empty()) out.second.push_back(row_of(state.attention, r));
    }
    return out;
  }

  // Rows `rows` of `all`.
  static Vectors pick(const Vectors& all, const std::vector<int>& rows) {
    Vectors out;
    if (all.empty()) return out;
    for (int r : rows) out.push_back(all[r]);
    return out;
  }

  Seq2Seq model_;
  Batch sources_;
};

TEST_P(SearchRowsTest, ReorderedRowsContinueTheirOwnState) {
  const std::vector<int> identity = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<int> rows = {2, 0, 0, 3, 5, 4, 8, 6, 7};  // within each sentence's three rows
  SearchState reordered, unchanged;
  start(reordered, 3);
  start(unchanged, 3);
  model_.reorder_rows(reordered, rows);
  for (int t = 2; t < 4; ++t) {
    SCOPED_TRACE("step " + std::to_string(t));
    const auto expected = step(unchanged, t, identity);
    const auto actual = step(reordered, t, rows);
    EXPECT_TRUE(vectors_close(actual.first, pick(expected.first, rows), 1e-6, 1e-7));
    EXPECT_TRUE(vectors_close(actual.second, pick(expected.second, rows), 1e-6, 1e-7));
    for (int r = 0; r < 9 && t == 2; ++r) {
      if (rows[r] == r) continue;
      EXPECT_FALSE(vectors_close({actual.first[r]}, {expected.first[r]}, 1e-6, 1e-7)) << "moved row " << r;
    }
  }
}

TEST_P(SearchRowsTest, KeptSentencesContinueUnchanged) {
  SearchState kept, all;
  start(kept, 2);
  start(all, 2);
  const std::vector<int> every_row = {0, 1, 2, 3, 4, 5};

  model_.keep_sentences(kept, {0, 2});
  EXPECT_EQ(kept.sentences, 2);
  const std::vector<int> rows_of_first_and_last = {0, 1, 4, 5};
  auto expected = step(all, 2, every_row);
  auto actual = step(kept, 2, rows_of_first_and_last);
  EXPECT_TRUE(vectors_close(actual.first, pick(expected.first, rows_of_first_and_last), 1e-6, 1e-7));
  EXPECT_TRUE(vectors_close(actual.second, pick(expected.second, rows_of_first_and_last), 1e-6, 1e-7));

  model_.keep_sentences(kept, {1});  // the last sentence
  EXPECT_EQ(kept.sentences, 1);
  const std::vector<int> rows_of_last = {4, 5};
  expected = step(all, 3, every_row);
  actual = step(kept, 3, rows_of_last);
  EXPECT_TRUE(vectors_close(actual.first, pick(expected.first, rows_of_last), 1e-6, 1e-7));
  EXPECT_TRUE(vectors_close(actual.second, pick(expected.second, rows_of_last), 1e-6, 1e-7));
}

std::string rows_case_name(const ::testing::TestParamInfo<RowsParam>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param) + (std::get<2>(info.param) ? "_feed" : "");
}

INSTANTIATE_TEST_SUITE_P(Variants, SearchRowsTest,
                         ::testing::Combine(::testing::Values("lstm", "gru"),
                                            ::testing::Values("none", "dot", "general", "mlp"),
                                            ::testing::Values(false)),
                         rows_case_name);

// The fed attentional output is part of a row's state.
INSTANTIATE_TEST_SUITE_P(InputFeeding, SearchRowsTest,
                         ::testing::Combine(::testing::Values("lstm", "gru"),
                                            ::testing::Values("general", "mlp"), ::testing::Values(true)),
                         rows_case_name);

}  // namespace
}  // namespace ferry
