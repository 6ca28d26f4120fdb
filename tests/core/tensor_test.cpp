#include "core/tensor.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ferry
