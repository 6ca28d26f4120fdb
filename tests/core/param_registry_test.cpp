// Parameters start from seeded draws of their own; a registry that shares another's values holds no weights
// of its own: each parameter is the other's storage, at the other's version, and a name or shape the other
// lacks is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/param.h"
#include "util/error.h"

namespace ferry {
namespace {

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

TEST(ParamRegistry, SharedValuesAreTheOthersStorageAtItsVersion) {
  ParamRegistry owner;
  owner.add("a", {2, 3}, Init::uniform(1.0f));
  owner.add("b", {4}, Init::constant(2.0f));
  owner.initialize(7);
  owner.get("a").changed();

  ParamRegistry shared(false, &owner);
  Parameter& a = shared.add("a", {2, 3}, Init::zeros());
  Parameter& b = shared.add("b", {4}, Init::zeros());
  EXPECT_EQ(a.value.raw(), owner.get("a").value.raw());
  EXPECT_EQ(b.value.raw(), owner.get("b").value.raw());
  EXPECT_EQ(a.version, owner.get("a").version);
  EXPECT_EQ(b.value.data()[3], 2.0f);
  EXPECT_TRUE(a.grad.empty());
  // Written through one, read through the other.
  owner.get("b").value.data()[0] = 5.0f;
  EXPECT_EQ(b.value.data()[0], 5.0f);
}

TEST(ParamRegistry, SharedValuesOutliveTheirRegistry) {
  auto owner = std::make_unique<ParamRegistry>();
  owner->add("a", {3}, Init::constant(1.5f));
  owner->initialize(1);
  ParamRegistry shared(false, owner.get());
  Parameter& a = shared.add("a", {3}, Init::zeros());
  owner.reset();
  EXPECT_EQ(a.value.data()[2], 1.5f);
}

TEST(ParamRegistry, SharingRefusesAnotherShapeAMissingNameAndGradients) {
  ParamRegistry owner;
  owner.add("a", {2, 3}, Init::zeros());
  ParamRegistry shared(false, &owner);
  EXPECT_THROW(shared.add("a", {3, 2}, Init::zeros()), InternalError);
  EXPECT_THROW(shared.add("missing", {1}, Init::zeros()), InternalError);
  EXPECT_THROW(ParamRegistry(true, &owner), InternalError);
}

}  // namespace
}  // namespace ferry
