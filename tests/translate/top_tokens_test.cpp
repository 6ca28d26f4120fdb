// The best tokens of a row, against a naive reference that sorts every qualifying token: rows of every length
// around the blocks the scan checks at once, ties, -inf, NaN, and special ids that score best.
#include "translate/top_tokens.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/rng.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

std::vector<TokenScore> reference_top(const std::vector<float>& row, int64_t k, bool with_eos) {
  std::vector<TokenScore> all;
  for (size_t v = 0; v < row.size(); ++v) {
    const int id = static_cast<int>(v);
    if (id == kPadId || id == kBosId || (id == kEosId && !with_eos)) continue;
    if (std::isnan(row[v]) || row[v] == -std::numeric_limits<float>::infinity()) continue;
    all.push_back({row[v], id});
  }
  std::sort(all.begin(), all.end(), ranks_before);
  if (static_cast<int64_t>(all.size()) > k) all.resize(static_cast<size_t>(k));
  return all;
}

// Log-probability-like values drawn from few levels, so that ties are common; some -inf and NaN.
std::vector<float> random_row(int64_t vocab, Rng& rng) {
  std::vector<float> row(static_cast<size_t>(vocab));
  for (float& value : row) {
    const uint64_t kind = rng.below(20);
    if (kind == 0) {
      value = -std::numeric_limits<float>::infinity();
    } else if (kind == 1) {
      value = std::numeric_limits<float>::quiet_NaN();
    } else {
      value = -0.25f * static_cast<float>(rng.below(40));
    }
  }
  return row;
}

TEST(TopTokens, AsTheNaiveSortForEveryLengthAndCount) {
  Rng rng(11);
  std::vector<TokenScore> out;
  for (const int64_t vocab : {1, 3, 4, 5, 19, 20, 21, 35, 36, 37, 67, 68, 69, 131, 132, 133, 1000}) {
    for (const int64_t k : {int64_t{1}, int64_t{2}, int64_t{5}, int64_t{16}, vocab}) {
      for (const bool with_eos : {false, true}) {
        for (int round = 0; round < 5; ++round) {
          std::vector<float> row = random_row(vocab, rng);
          if (round == 0)  // the special ids best of all
            for (int64_t v = 0; v < std::min<int64_t>(vocab, kEosId + 1); ++v) row[static_cast<size_t>(v)] = 1.0f;
          if (round == 1) std::reverse(row.begin(), row.end());
          SCOPED_TRACE("vocab " + std::to_string(vocab) + ", k " + std::to_string(k) + ", eos " +
                       std::to_string(with_eos) + ", round " + std::to_string(round));
          top_tokens(row.data(), vocab, k, with_eos, out);
          const std::vector<TokenScore> expected = reference_top(row, k, with_eos);
          ASSERT_EQ(out.size(), expected.size());
          for (size_t i = 0; i < out.size(); ++i) {
            EXPECT_EQ(out[i].token, expected[i].token) << "rank " << i;
            EXPECT_EQ(out[i].log_prob, expected[i].log_prob) << "rank " << i;
          }
        }
      }
    }
  }
}

TEST(TopTokens, IncreasingRowsPassEveryBlock) {
  // Each block beats the one before, so every block is offered token by token.
  std::vector<float> row(200);
  for (size_t v = 0; v < row.size(); ++v) row[v] = -100.0f + static_cast<float>(v) * 0.5f;
  std::vector<TokenScore> out;
  top_tokens(row.data(), 200, 3, false, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].token, 199);
  EXPECT_EQ(out[1].token, 198);
  EXPECT_EQ(out[2].token, 197);
  top_tokens(row.data(), 200, 0, false, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace ferry
