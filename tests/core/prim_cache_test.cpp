#include "core/prim_cache.h"

#include <gtest/gtest.h>

#include "core/context.h"
#include "util/error.h"

namespace ferry {
namespace {

// A {1, 2} · {2, 1} matmul bound to three memories.
BoundPrimitive tiny_matmul() {
  using dt = dnnl::memory::data_type;
  using tag = dnnl::memory::format_tag;
  const dnnl::memory::desc a({1, 2}, dt::f32, tag::ab), b({2, 1}, dt::f32, tag::ab),
      c({1, 1}, dt::f32, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), Context::get().engine());
  return BoundPrimitive(pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST});
}

PrimKey key(int64_t id) { return PrimKey{id}; }

TEST(PrimitiveCache, BoundPrimitiveRunsOnWhateverDataItIsPointedAt) {
  BoundPrimitive product = tiny_matmul();
  const float a[2] = {1, 2}, b[2] = {3, 4};
  float c = 0;
  product.bind(DNNL_ARG_SRC, a);
  product.bind(DNNL_ARG_WEIGHTS, b);
  product.bind(DNNL_ARG_DST, &c);
  product.run();
  EXPECT_EQ(c, 11.0f);
  const float a2[2] = {-1, 1};
  product.bind(DNNL_ARG_SRC, a2);
  product.run();
  EXPECT_EQ(c, 1.0f);
  EXPECT_THROW(product.bind(DNNL_ARG_BIAS, a), InternalError);
}

TEST(PrimitiveCache, EvictsTheLeastRecentlyUsed) {
  PrimitiveCache cache(2);
  EXPECT_EQ(cache.find(key(1)), nullptr);
  BoundPrimitive* first = &cache.insert(key(1), tiny_matmul());
  cache.insert(key(2), tiny_matmul());
  EXPECT_EQ(cache.find(key(1)), first);  // 1 is now the most recently used
  cache.insert(key(3), tiny_matmul());   // evicts 2
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find(key(2)), nullptr);
  EXPECT_EQ(cache.find(key(1)), first);
  EXPECT_NE(cache.find(key(3)), nullptr);
  EXPECT_THROW(cache.insert(key(3), tiny_matmul()), InternalError);
}

}  // namespace
}  // namespace ferry
