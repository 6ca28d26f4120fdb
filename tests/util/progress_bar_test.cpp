#include "util/progress_bar.h"

#include <gtest/gtest.h>

namespace ferry {
namespace {

TEST(ProgressBar, FillsInProportionAndShowsTheCounts) {
  EXPECT_EQ(progress_bar(0, 1046, 10), "[          ] 0/1046");
  EXPECT_EQ(progress_bar(412, 1046, 10), "[###       ] 412/1046");
  EXPECT_EQ(progress_bar(523, 1046, 10), "[#####     ] 523/1046");
  EXPECT_EQ(progress_bar(1045, 1046, 10), "[######### ] 1045/1046");
  EXPECT_EQ(progress_bar(1046, 1046, 10), "[##########] 1046/1046");
  EXPECT_EQ(progress_bar(3, 4, 4), "[### ] 3/4");
  EXPECT_EQ(progress_bar(0, 0, 3), "[###] 0/0");
}

}  // namespace
}  // namespace ferry
