#include "support/nbest_checks.h"

#include <gtest/gtest.h>

namespace ferry {

void expect_same_nbest(const std::vector<NBest>& got, const std::vector<NBest>& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), expected[i].size()) << "source " << i;
    for (size_t k = 0; k < got[i].size(); ++k) {
      EXPECT_EQ(got[i][k].tokens, expected[i][k].tokens) << "source " << i << " hypothesis " << k;
      EXPECT_NEAR(got[i][k].score, expected[i][k].score, 1e-4) << "source " << i;
    }
  }
}

}  // namespace ferry
