#include "core/optim/weight_average.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"

namespace ferry {
namespace {

TEST(WeightAverage, DecayRisesFromTheStartToTheConfiguredValue) {
  EXPECT_DOUBLE_EQ(WeightAverage::decay_at(0.999, 1), 2.0 / 11.0);
  EXPECT_DOUBLE_EQ(WeightAverage::decay_at(0.999, 90), 91.0 / 100.0);
  EXPECT_DOUBLE_EQ(WeightAverage::decay_at(0.999, 100000), 0.999);
  EXPECT_DOUBLE_EQ(WeightAverage::decay_at(0.5, 100), 0.5);
}

// The average after a sequence of values, computed naively in double, against the class in f32.
TEST(WeightAverage, FollowsTheNaiveRecurrenceOverManySteps) {
  ParamRegistry params;
  Parameter& w = params.add("w", {3}, Init::zeros());
  Parameter& frozen = params.add("frozen", {1}, Init::zeros(), false);
  w.value.data()[0] = 1.0f;
  const double decay = 0.9;
  WeightAverage average(params, decay);
  std::vector<double> expected = {1.0, 0.0, 0.0};
  for (int64_t step = 1; step <= 60; ++step) {
    for (int i = 0; i < 3; ++i) w.value.data()[i] = static_cast<float>(step * (i + 1)) * 0.01f;
    average.update(step);
    const double d = WeightAverage::decay_at(decay, step);
    for (int i = 0; i < 3; ++i) expected[i] = d * expected[i] + (1 - d) * w.value.data()[i];
  }
  const std::vector<NamedTensor> state = average.live_state();
  ASSERT_EQ(state.size(), 1u) << "only trainable parameters are averaged";
  EXPECT_EQ(state[0].name, "average/w");
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(state[0].value.data()[i], expected[i], 1e-5) << i;
  EXPECT_EQ(frozen.version, 0u);
}

TEST(WeightAverage, SwapExchangesValuesAndAveragesAndBumpsVersions) {
  ParamRegistry params;
  Parameter& w = params.add("w", {2}, Init::zeros());
  WeightAverage average(params, 0.5);
  w.value.fill(4.0f);
  average.update(100);  // decay 0.5: average 2
  const uint64_t version = w.version;
  average.swap();
  EXPECT_EQ(w.value.data()[0], 2.0f);
  EXPECT_EQ(w.value.data()[1], 2.0f);
  EXPECT_GT(w.version, version);
  EXPECT_EQ(average.live_state()[0].value.data()[0], 4.0f);
  average.swap();
  EXPECT_EQ(w.value.data()[0], 4.0f);
  EXPECT_EQ(average.live_state()[0].value.data()[1], 2.0f);
}

TEST(WeightAverage, StateRestoresExactlyAndRefusesWhatDoesNotFit) {
  ParamRegistry params;
  Parameter& w = params.add("w", {2}, Init::zeros());
  WeightAverage average(params, 0.9);
  w.value.fill(1.0f);
  average.update(50);
  std::vector<NamedTensor> saved;
  for (const NamedTensor& entry : average.live_state()) saved.push_back({entry.name, entry.value.clone()});

  ParamRegistry other;
  other.add("w", {2}, Init::zeros());
  WeightAverage restored(other, 0.9);
  restored.set_state(saved);
  EXPECT_EQ(restored.live_state()[0].value.data()[0], saved[0].value.data()[0]);

  std::vector<NamedTensor> wrong_dims = {{"average/w", Tensor({3})}};
  EXPECT_THROW(restored.set_state(wrong_dims), ModelFileError);
  std::vector<NamedTensor> missing = {{"average/v", Tensor({2})}};
  try {
    restored.set_state(missing);
    FAIL() << "a missing average was accepted";
  } catch (const ModelFileError& e) {
    EXPECT_NE(std::string(e.what()).find("average/w"), std::string::npos) << e.what();
  }
  EXPECT_EQ(restored.live_state()[0].value.data()[0], saved[0].value.data()[0])
      << "changed by a refused state";
}

TEST(WeightAverage, RefusesADecayOutsideTheOpenUnitInterval) {
  ParamRegistry params;
  params.add("w", {1}, Init::zeros());
  EXPECT_THROW(WeightAverage(params, 1.0), InternalError);
  EXPECT_THROW(WeightAverage(params, 0.0), InternalError);
}

}  // namespace
}  // namespace ferry
