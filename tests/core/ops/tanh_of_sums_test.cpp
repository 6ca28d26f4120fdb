#include "core/ops/tanh_of_sums.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ferry {
namespace {

Tensor values(const std::vector<float>& v) {
  Tensor t({static_cast<int64_t>(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data()[i] = v[i];
  return t;
}

// Every pair of a grid over the whole range, its ends included, where sums run from saturated through 0.
TEST(TanhOfSums, WithinAbsoluteErrorOverTheRange) {
  std::vector<float> grid;
  for (float x = -kTanhFactorLimit; x <= kTanhFactorLimit; x += 0.173f) grid.push_back(x);
  grid.push_back(kTanhFactorLimit);
  const Tensor x = values(grid);
  Tensor exps;
  ASSERT_TRUE(tanh_factor_exps(x, exps));
  ASSERT_EQ(exps.dims(), x.dims());
  double worst = 0;
  for (size_t i = 0; i < grid.size(); ++i) {
    for (size_t j = 0; j < grid.size(); ++j) {
      const double exact = std::tanh(static_cast<double>(grid[i]) + grid[j]);
      const float factored = tanh_from_exps(exps.data()[i], exps.data()[j]);
      ASSERT_FALSE(std::isnan(factored)) << grid[i] << " + " << grid[j];
      worst = std::max(worst, std::abs(factored - exact));
    }
  }
  EXPECT_LT(worst, 1e-6);
  EXPECT_EQ(tanh_from_exps(exps.data()[grid.size() - 1], exps.data()[grid.size() - 1]), 1.0f);
  EXPECT_EQ(tanh_from_exps(exps.data()[0], exps.data()[0]), -1.0f);
}

TEST(TanhOfSums, RefusesValuesOutsideTheRangeAndNaN) {
  Tensor exps = values({1.0f});
  EXPECT_FALSE(tanh_factor_exps(values({0.5f, -kTanhFactorLimit * 1.01f, 2.0f}), exps));
  EXPECT_TRUE(exps.empty());
  EXPECT_FALSE(tanh_factor_exps(values({0.5f, std::nanf("")}), exps));
  EXPECT_TRUE(exps.empty());
  ASSERT_TRUE(tanh_factor_exps(values({0.0f, 1.0f}), exps));
  EXPECT_EQ(exps.data()[0], 1.0f);
  EXPECT_NEAR(exps.data()[1], std::exp(2.0), 1e-5);
}

}  // namespace
}  // namespace ferry
