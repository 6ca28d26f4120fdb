#include "eval/references.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

using Views = std::vector<std::string_view>;

TEST(References, EmptyOrBlankReferencesAreScoredAndNoneBecomesOneEmpty) {
  EXPECT_EQ(usable_references({"a", "", "b"}), (Views{"a", "", "b"}));
  EXPECT_EQ(usable_references({" \t", "b"}), (Views{" \t", "b"}));
  EXPECT_EQ(usable_references({}), (Views{""}));
}

TEST(References, LinesAcrossStreamsAndAlignmentChecks) {
  const ReferenceStreams streams = {{"a1", "a2"}, {"b1", "b2"}};
  EXPECT_EQ(references_of_line(streams, 1), (Views{"a2", "b2"}));
  EXPECT_NO_THROW(check_streams_align(2, streams));
  EXPECT_THROW(check_streams_align(3, streams), InputError);
  EXPECT_THROW(check_streams_align(2, {{"a1", "a2"}, {"b1"}}), InputError);
  EXPECT_THROW(check_streams_align(0, {}), InputError);
}

}  // namespace
}  // namespace ferry
