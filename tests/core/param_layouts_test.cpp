#include "core/param_layouts.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

using Tag = dnnl::memory::format_tag;

// {3, 4} stored column-major: element (r, c) at c * 3 + r.
const dnnl::memory::desc kColumnMajor({3, 4}, dnnl::memory::data_type::f32, Tag::ba);

TEST(ParamLayouts, ReordersOncePerVersionAndLayout) {
  ParamRegistry params;
  Parameter& p = params.add("w", {3, 4}, Init::zeros());
  for (int i = 0; i < 12; ++i) p.value.data()[i] = static_cast<float>(i);
  ParamLayouts layouts(p, p.value.desc());

  EXPECT_EQ(layouts.data(p.value.desc()), p.value.raw()) << "the canonical layout is the value itself";
  const float* copy = static_cast<const float*>(layouts.data(kColumnMajor));
  EXPECT_EQ(copy[1 * 3 + 2], p.value.data()[2 * 4 + 1]);
  layouts.data(kColumnMajor);
  EXPECT_EQ(layouts.reorder_count(), 1);

  p.value.data()[2 * 4 + 1] = 100.0f;
  p.changed();
  copy = static_cast<const float*>(layouts.data(kColumnMajor));
  EXPECT_EQ(copy[1 * 3 + 2], 100.0f);
  layouts.data(kColumnMajor);
  EXPECT_EQ(layouts.reorder_count(), 2);
}

TEST(ParamLayouts, ATrainedParameterKeepsItsOwnCopyInPlace) {
  ParamRegistry params;
  Parameter& p = params.add("w", {3, 4}, Init::zeros());
  ParamLayouts layouts(p, p.value.desc()), other(p, p.value.desc());
  const void* copy = layouts.data(kColumnMajor);
  EXPECT_NE(other.data(kColumnMajor), copy);
  p.changed();
  EXPECT_EQ(layouts.data(kColumnMajor), copy) << "reordered again where it was";
  EXPECT_EQ(layouts.reorder_count(), 2);
}

TEST(ParamLayouts, NetworksThatAreOnlyRunShareTheCopyOfAVersion) {
  ParamRegistry params(false);
  Parameter& p = params.add("w", {3, 4}, Init::zeros());
  for (int i = 0; i < 12; ++i) p.value.data()[i] = static_cast<float>(i);
  ParamRegistry shared(false, &params);  // a second network's registry on the first's values
  Parameter& q = shared.add("w", {3, 4}, Init::zeros());
  ParamLayouts layouts(p, p.value.desc()), other(q, q.value.desc());
  const float* copy = static_cast<const float*>(layouts.data(kColumnMajor));
  EXPECT_EQ(other.data(kColumnMajor), copy);
  EXPECT_EQ(copy[1 * 3 + 2], 9.0f);
  EXPECT_EQ(layouts.reorder_count(), 1);
  EXPECT_EQ(other.reorder_count(), 0) << "the copy the first made";

  // A new version is a new copy; the other keeps the old one while its parameter says so.
  p.value.data()[2 * 4 + 1] = 100.0f;
  p.changed();
  const float* updated = static_cast<const float*>(layouts.data(kColumnMajor));
  EXPECT_NE(updated, copy);
  EXPECT_EQ(updated[1 * 3 + 2], 100.0f);
  EXPECT_EQ(other.data(kColumnMajor), copy);
}

TEST(GradientSink, InTheCanonicalLayoutThePrimitiveAddsIntoTheGradItself) {
  ParamRegistry params;
  Parameter& p = params.add("w", {3, 4}, Init::zeros());
  p.grad.fill(1.0f);
  GradientSink sink(p, p.value.desc());
  EXPECT_EQ(sink.accumulator(p.value.desc()), p.grad.raw());
  p.grad.data()[5] += 2.0f;  // what the primitive adds
  sink.add_to_grad();
  EXPECT_EQ(p.grad.data()[5], 3.0f);
  EXPECT_EQ(p.grad.data()[0], 1.0f);
  EXPECT_THROW(sink.add_to_grad(), InternalError);
}

TEST(GradientSink, AddsItsZeroedBufferToTheGrad) {
  ParamRegistry params;
  Parameter& p = params.add("w", {3, 4}, Init::zeros());
  p.grad.fill(1.0f);
  GradientSink sink(p, p.value.desc());
  EXPECT_THROW(sink.add_to_grad(), InternalError);
  for (int round = 1; round <= 2; ++round) {
    float* buffer = static_cast<float*>(sink.accumulator(kColumnMajor));
    for (int i = 0; i < 12; ++i) EXPECT_EQ(buffer[i], 0.0f);
    buffer[1 * 3 + 2] = 5.0f;  // element (2, 1)
    sink.add_to_grad();
    EXPECT_EQ(p.grad.data()[2 * 4 + 1], 1.0f + 5.0f * round);
    EXPECT_EQ(p.grad.data()[0], 1.0f);
  }
}

}  // namespace
}  // namespace ferry
