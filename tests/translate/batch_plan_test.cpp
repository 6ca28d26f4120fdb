#include "translate/batch_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ferry {
namespace {

TEST(BatchPlan, EverySentenceOnceLongestFirstWithinTheLimits) {
  const std::vector<int64_t> lengths = {3, 9, 1, 9, 4, 4, 7, 2, 5, 9, 1};
  for (const BatchLimits limits :
       {BatchLimits{1, 0}, BatchLimits{3, 0}, BatchLimits{100, 0}, BatchLimits{4, 25}}) {
    const auto batches = plan_batches(lengths, limits);
    std::vector<size_t> seen;
    for (const auto& batch : batches) {
      ASSERT_FALSE(batch.empty());
      EXPECT_LE(static_cast<int64_t>(batch.size()), limits.sentences);
      if (limits.tokens > 0 && batch.size() > 1) {
        EXPECT_LE(static_cast<int64_t>(batch.size()) * (lengths[batch.front()] + 1), limits.tokens);
      }
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    ASSERT_EQ(seen.size(), lengths.size());
    for (size_t i = 1; i < seen.size(); ++i) {
      // Longest first; equal lengths in input order.
      EXPECT_TRUE(lengths[seen[i - 1]] > lengths[seen[i]] ||
                  (lengths[seen[i - 1]] == lengths[seen[i]] && seen[i - 1] < seen[i]))
          << "position " << i;
    }
    std::sort(seen.begin(), seen.end());
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
  }
}

TEST(BatchPlan, TokenLimitSplitsBatchesAndKeepsOverlongSentencesAlone) {
  const auto batches = plan_batches({10, 2, 2, 2, 2}, BatchLimits{32, 9});
  // 10 + 1 > 9: alone; then 3 x (2 + 1) = 9 fits, a fourth does not.
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], (std::vector<size_t>{0}));
  EXPECT_EQ(batches[1], (std::vector<size_t>{1, 2, 3}));
  EXPECT_EQ(batches[2], (std::vector<size_t>{4}));
}

}  // namespace
}  // namespace ferry
