#include "train/gradient_buckets.h"

#include "util/error.h"

namespace ferry {

std::vector<GradientBucket> plan_gradient_buckets(const std::vector<int64_t>& sizes, int64_t bucket_elements) {
  FERRY_CHECK(bucket_elements > 0, InternalError, "gradient buckets of " << bucket_elements << " values");
  std::vector<GradientBucket> buckets;
  GradientBucket open{sizes.size(), sizes.size(), 0};
  for (size_t i = sizes.size(); i-- > 0;) {
    open.first = i;
    open.elements += sizes[i];
    if (open.elements >= bucket_elements) {
      buckets.push_back(open);
      open = {i, i, 0};
    }
  }
  if (open.end > open.first) buckets.push_back(open);
  return buckets;
}

}  // namespace ferry
