#include "core/tensor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/param.h"
#include "util/error.h"

namespace ferry {
namespace {

TEST(Tensor, AllocatesZeroedAndViews) {
  Tensor t({2, 3, 4});
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.dim(-1), 4);
  for (int64_t i = 0; i < t.numel(); ++i) EXPECT_EQ(t.data()[i], 0.0f);
  for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = static_cast<float>(i);
  Tensor s = t.slice(1, 2);
  EXPECT_EQ(s.dims(), (Dims{1, 3, 4}));
  EXPECT_EQ(s.data()[0], 12.0f);
  Tensor r = t.reshaped({6, 4});
  EXPECT_EQ(r.data()[5], 5.0f);
  Tensor c = t.clone();
  c.data()[0] = 100;
  EXPECT_EQ(t.data()[0], 0.0f);
  EXPECT_THROW(t.reshaped({5, 5}), InternalError);
  EXPECT_THROW(t.slice(1, 3), InternalError);
}

TEST(Tensor, ResizeKeepsStorageWhenItFits) {
  Tensor t({10, 10});
  const float* before = t.data();
  t.resize({5, 4});
  EXPECT_EQ(t.data(), before);
  EXPECT_EQ(t.memory().get_desc().dims(), (Dims{5, 4}));
  t.resize({20, 10});
  EXPECT_EQ(t.numel(), 200);
  // Growth leaves headroom: a little more fits without another allocation.
  const float* grown = t.data();
  t.resize({24, 10});
  EXPECT_EQ(t.data(), grown);
}

TEST(Tensor, MemoryIsPlainRowMajorOverTheSameData) {
  Tensor t({3, 5});
  const dnnl::memory& m = t.memory();
  EXPECT_EQ(m.get_data_handle(), t.raw());
  EXPECT_EQ(m.get_desc().get_size(), 15u * 4u);
}

TEST(ParamRegistry, InitialisationDependsOnSeedAndNameOnly) {
  ParamRegistry a, b;
  a.add("x/w", {4, 6}, Init::glorot(4, 6));
  b.add("other", {3}, Init::uniform(0.1f));
  b.add("x/w", {4, 6}, Init::glorot(4, 6));
  a.initialize(5);
  b.initialize(5);
  const float bound = std::sqrt(6.0f / 10.0f);
  for (int i = 0; i < 24; ++i) {
    EXPECT_EQ(a.get("x/w").value.data()[i], b.get("x/w").value.data()[i]);
    EXPECT_LE(std::abs(a.get("x/w").value.data()[i]), bound);
  }
  EXPECT_EQ(a.get("x/w").version, 1u);
  EXPECT_EQ(b.element_count(), 27);
  EXPECT_THROW(a.add("x/w", {1}, Init::zeros()), InternalError);
  EXPECT_THROW(a.get("nope"), InternalError);
}

TEST(ParamRegistry, NormalInitialisationHasTheAskedDeviation) {
  ParamRegistry params;
  params.add("e/weight", {101, 99}, Init::normal(0.5f));  // odd count: the last value comes alone
  params.initialize(11);
  const Tensor& v = params.get("e/weight").value;
  double sum = 0, squares = 0, beyond_two = 0;
  for (int64_t i = 0; i < v.numel(); ++i) {
    const double x = v.data()[i];
    sum += x;
    squares += x * x;
    if (std::abs(x) > 1.0) ++beyond_two;  // beyond two deviations
  }
  const double n = static_cast<double>(v.numel());
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(squares / n - mean * mean), 0.5, 0.01);
  EXPECT_NEAR(beyond_two / n, 0.0455, 0.006);  // a uniform of the same deviation has none there
  EXPECT_NE(v.data()[v.numel() - 1], 0.0f);
}

}  // namespace
}  // namespace ferry
