// plan_gradient_buckets: the buckets a data-parallel step sums, in the order backward finishes them.
#include "train/gradient_buckets.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"

namespace ferry {
namespace {

// The buckets cover [0, sizes.size()) once, from the end down, and each holds its parameters' values.
void expect_cover(const std::vector<GradientBucket>& buckets, const std::vector<int64_t>& sizes) {
  size_t end = sizes.size();
  for (const GradientBucket& bucket : buckets) {
    EXPECT_EQ(bucket.end, end);
    EXPECT_LT(bucket.first, bucket.end);
    int64_t elements = 0;
    for (size_t i = bucket.first; i < bucket.end; ++i) elements += sizes[i];
    EXPECT_EQ(bucket.elements, elements);
    end = bucket.first;
  }
  EXPECT_EQ(end, 0u);
}

TEST(GradientBuckets, ConsecutiveParametersFromTheLastUntilEachBucketIsFull) {
  const std::vector<int64_t> sizes = {5, 1, 1, 8, 2, 2, 3};
  const std::vector<GradientBucket> buckets = plan_gradient_buckets(sizes, 4);
  expect_cover(buckets, sizes);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].first, 5u);  // 3 + 2
  EXPECT_EQ(buckets[1].first, 3u);  // 2 + 8
  EXPECT_EQ(buckets[2].first, 0u);  // 1 + 1 + 5
}

TEST(GradientBuckets, TheFirstParametersMayFormASmallerBucket) {
  const std::vector<int64_t> sizes = {1, 6, 6};
  const std::vector<GradientBucket> buckets = plan_gradient_buckets(sizes, 5);
  expect_cover(buckets, sizes);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[2].elements, 1);
}

TEST(GradientBuckets, ParametersWithoutGradientsJoinANeighboursBucket) {
  const std::vector<int64_t> sizes = {0, 4, 0, 0, 4, 0};
  const std::vector<GradientBucket> buckets = plan_gradient_buckets(sizes, 4);
  expect_cover(buckets, sizes);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].first, 4u);
  EXPECT_EQ(buckets[1].first, 1u);
  EXPECT_EQ(buckets[2].elements, 0) << "the leading parameter without gradient";
}

TEST(GradientBuckets, OneBucketWhenEverythingFits) {
  const std::vector<int64_t> sizes = {3, 2, 1};
  const std::vector<GradientBucket> buckets = plan_gradient_buckets(sizes, 1000);
  expect_cover(buckets, sizes);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].elements, 6);
  EXPECT_TRUE(plan_gradient_buckets({}, 4).empty());
  EXPECT_THROW(plan_gradient_buckets(sizes, 0), InternalError);
}

}  // namespace
}  // namespace ferry
