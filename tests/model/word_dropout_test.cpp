#include "model/word_dropout.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

std::vector<int> words_and_specials() {
  std::vector<int> ids;
  for (int i = 0; i < 4000; ++i) ids.push_back(i % 5 == 0 ? kPadId : (i % 7 == 0 ? kEosId : 4 + i % 50));
  return ids;
}

TEST(WordDropout, ReplacesWordsByUnknownAtTheRateAndKeepsSpecials) {
  const std::vector<int> ids = words_and_specials();
  WordDropout dropout(0.3f, 7);
  std::vector<int> out;
  dropout.apply(ids, true, out);
  ASSERT_EQ(out.size(), ids.size());
  int words = 0, dropped = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] <= kEosId) {
      EXPECT_EQ(out[i], ids[i]) << "a special id changed at " << i;
      continue;
    }
    ++words;
    if (out[i] != ids[i]) {
      EXPECT_EQ(out[i], kUnkId);
      ++dropped;
    }
  }
  EXPECT_NEAR(static_cast<double>(dropped) / words, 0.3, 0.04);
}

TEST(WordDropout, MasksFollowTheCallCounterAndInferenceChangesNothing) {
  const std::vector<int> ids = words_and_specials();
  WordDropout dropout(0.2f, 3);
  std::vector<int> at_five, again, at_six, inference;
  dropout.set_calls(5);
  dropout.apply(ids, true, at_five);
  dropout.set_calls(5);
  dropout.apply(ids, true, again);
  dropout.apply(ids, true, at_six);
  dropout.apply(ids, false, inference);
  EXPECT_EQ(at_five, again);
  EXPECT_NE(at_five, at_six);
  EXPECT_EQ(inference, ids);
  WordDropout other_seed(0.2f, 4);
  std::vector<int> other;
  other_seed.set_calls(5);
  other_seed.apply(ids, true, other);
  EXPECT_NE(other, at_five);
  EXPECT_THROW(WordDropout(1.0f, 1), InternalError);
}

}  // namespace
}  // namespace ferry
