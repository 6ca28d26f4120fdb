#include "core/optim/optimizer.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "core/optim/adam.h"
#include "core/optim/sgd.h"
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
