#include "core/optim/optimizer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "core/optim/adam.h"
#include "core/optim/sgd.h"
#include "core/optim/weight_average.h"
#include "support/numeric.h"
#include "util/error.h"

namespace ferry {
namespace {

using MakeOptimizer = std::function<std::unique_ptr<Optimizer>(ParamRegistry&)>;

void add_model(ParamRegistry& params) {
  params.add("enc/weight", {40, 30}, Init::uniform(0.5f));
  params.add("enc/frozen", {5}, Init::uniform(0.5f), false);
  params.add("out/bias", {7}, Init::uniform(0.5f));
}

// Gradients that differ per step and parameter but are the same in every run.
void train(ParamRegistry& params, Optimizer& optimizer, int first_step, int last_step) {
  for (int step = first_step; step <= last_step; ++step) {
    uint64_t seed = static_cast<uint64_t>(step) * 100;
    for (Parameter* p : params.all()) fill_random(p->grad, ++seed);
    optimizer.step();
  }
}

class OptimizerStateRoundTrip : public ::testing::TestWithParam<MakeOptimizer> {};

TEST_P(OptimizerStateRoundTrip, SaveThenRestoreContinuesBitIdentically) {
  ParamRegistry original;
  add_model(original);
  original.initialize(3);
  std::unique_ptr<Optimizer> optimizer = GetParam()(original);
  train(original, *optimizer, 1, 3);
  const OptimizerState saved = optimizer->state();
  ParamRegistry restored;
  add_model(restored);
  for (Parameter* p : restored.all()) p->value.copy_from(original.get(p->name).value);
  train(original, *optimizer, 4, 6);

  std::unique_ptr<Optimizer> resumed = GetParam()(restored);
  resumed->set_state(saved);
  EXPECT_EQ(resumed->steps(), 3);
  train(restored, *resumed, 4, 6);
  for (Parameter* p : restored.all())
    EXPECT_TRUE(all_close(p->value, original.get(p->name).value, 0.0)) << p->name;
  EXPECT_EQ(resumed->steps(), 6);
}

TEST_P(OptimizerStateRoundTrip, GradientScaleActsAsScaledGradients) {
  ParamRegistry scaled, prescaled;
  add_model(scaled);
  add_model(prescaled);
  scaled.initialize(4);
  prescaled.initialize(4);
  std::unique_ptr<Optimizer> a = GetParam()(scaled);
  std::unique_ptr<Optimizer> b = GetParam()(prescaled);
  for (int step = 1; step <= 3; ++step) {
    // Gradients near Adam's epsilon, where its update is not invariant to their scale.
    for (Parameter* p : scaled.all()) fill_random(p->grad, 50 + step, 1e-8f);
    for (Parameter* p : prescaled.all()) {
      fill_random(p->grad, 50 + step, 1e-8f);
      for (int64_t i = 0; i < p->grad.numel(); ++i) p->grad.data()[i] *= 0.25f;
    }
    a->step(0.25f);
    b->step();
  }
  for (Parameter* p : scaled.all())
    EXPECT_TRUE(all_close(p->value, prescaled.get(p->name).value, 1e-6, 1e-7)) << p->name;
}

TEST_P(OptimizerStateRoundTrip, StateIsADeepCopy) {
  ParamRegistry params;
  add_model(params);
  std::unique_ptr<Optimizer> optimizer = GetParam()(params);
  train(params, *optimizer, 1, 1);
  const OptimizerState before = optimizer->state();
  train(params, *optimizer, 2, 2);
  const OptimizerState after = optimizer->state();
  ASSERT_EQ(before.slots.size(), after.slots.size());
  for (size_t i = 0; i < before.slots.size(); ++i)
    EXPECT_FALSE(all_close(before.slots[i].value, after.slots[i].value, 0.0));
}

TEST_P(OptimizerStateRoundTrip, LiveStateIsTheOptimizersOwnState) {
  ParamRegistry params;
  add_model(params);
  std::unique_ptr<Optimizer> optimizer = GetParam()(params);
  train(params, *optimizer, 1, 1);
  const OptimizerState live = optimizer->live_state();
  const OptimizerState copy = optimizer->state();
  ASSERT_EQ(live.slots.size(), copy.slots.size());
  for (size_t i = 0; i < live.slots.size(); ++i) {
    EXPECT_EQ(live.slots[i].name, copy.slots[i].name);
    EXPECT_TRUE(all_close(live.slots[i].value, copy.slots[i].value, 0.0)) << live.slots[i].name;
  }
  train(params, *optimizer, 2, 2);
  const OptimizerState after = optimizer->state();
  for (size_t i = 0; i < live.slots.size(); ++i)
    EXPECT_TRUE(all_close(live.slots[i].value, after.slots[i].value, 0.0)) << live.slots[i].name;
}

INSTANTIATE_TEST_SUITE_P(AdamAndSgd, OptimizerStateRoundTrip,
                         ::testing::Values(
                             [](ParamRegistry& params) -> std::unique_ptr<Optimizer> {
                               AdamOptions options;
                               options.weight_decay = 0.01f;
                               return std::make_unique<Adam>(params, options);
                             },
                             [](ParamRegistry& params) -> std::unique_ptr<Optimizer> {
                               return std::make_unique<Sgd>(params, SgdOptions{0.1f, 0.9f});
                             }));

// A step given the weight average folds each piece of a parameter in as it goes: the same values and
// averages, bit for bit, as the step followed by the average's own pass. The 250 x 300 weight spans several
// pieces, its last one partial.
TEST_P(OptimizerStateRoundTrip, StepWithTheWeightAverageEqualsStepThenUpdate) {
  const auto add_params = [](ParamRegistry& params) {
    params.add("enc/weight", {250, 300}, Init::uniform(0.5f));
    params.add("enc/frozen", {5}, Init::uniform(0.5f), false);
    params.add("out/bias", {7}, Init::uniform(0.5f));
    params.initialize(8);
  };
  ParamRegistry fused_params, separate_params;
  add_params(fused_params);
  add_params(separate_params);
  std::unique_ptr<Optimizer> fused = GetParam()(fused_params);
  std::unique_ptr<Optimizer> separate = GetParam()(separate_params);
  WeightAverage fused_average(fused_params, 0.9);
  WeightAverage separate_average(separate_params, 0.9);
  for (int step = 1; step <= 3; ++step) {
    for (ParamRegistry* params : {&fused_params, &separate_params}) {
      uint64_t seed = static_cast<uint64_t>(step) * 10;
      for (Parameter* p : params->all()) fill_random(p->grad, ++seed);
    }
    fused->step(0.5f, &fused_average);
    separate->step(0.5f);
    separate_average.update(separate->steps());
  }
  for (Parameter* p : fused_params.all())
    EXPECT_TRUE(all_close(p->value, separate_params.get(p->name).value, 0.0)) << p->name;
  const std::vector<NamedTensor> fused_state = fused_average.live_state();
  const std::vector<NamedTensor> separate_state = separate_average.live_state();
  ASSERT_EQ(fused_state.size(), 2u);
  for (size_t i = 0; i < fused_state.size(); ++i) {
    const std::string param = fused_state[i].name.substr(std::strlen(WeightAverage::kPrefix));
    EXPECT_FALSE(all_close(fused_state[i].value, fused_params.get(param).value, 0.0))
        << "the average is not just the last values";
    EXPECT_TRUE(all_close(fused_state[i].value, separate_state[i].value, 0.0)) << fused_state[i].name;
  }
}

TEST(Optimizer, RefusesAWeightAverageOfOtherParameters) {
  ParamRegistry params, other;
  add_model(params);
  add_model(other);
  other.add("extra", {3}, Init::zeros());
  Adam adam(params, AdamOptions{});
  WeightAverage foreign(other, 0.9);
  EXPECT_THROW(adam.step(1.0f, &foreign), InternalError);
  ParamRegistry same_shape;
  add_model(same_shape);
  WeightAverage same_names(same_shape, 0.9);
  EXPECT_THROW(adam.step(1.0f, &same_names), InternalError);
  EXPECT_EQ(adam.steps(), 0) << "a refused step counted";
}

TEST(Optimizer, RejectsStateThatDoesNotFit) {
  ParamRegistry params;
  add_model(params);
  Adam adam(params, AdamOptions{});
  Sgd sgd(params, SgdOptions{0.1f, 0.9f});
  const OptimizerState adam_state = adam.state();
  ASSERT_EQ(adam_state.slots.size(), 4u);
  EXPECT_EQ(adam_state.slots[0].name, "adam_m/enc/weight");
  EXPECT_THROW(sgd.set_state(adam_state), ModelFileError);

  OptimizerState renamed = adam.state();
  renamed.slots[3].name = "adam_v/other";
  EXPECT_THROW(adam.set_state(renamed), ModelFileError);
  OptimizerState resized = adam.state();
  resized.slots[1].value = Tensor({2, 2});
  EXPECT_THROW(adam.set_state(resized), ModelFileError);
  resized.steps = 9;
  EXPECT_THROW(adam.set_state(resized), ModelFileError);
  EXPECT_EQ(adam.steps(), 0);
}

}  // namespace
}  // namespace ferry
