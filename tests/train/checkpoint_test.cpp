#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <cstring>

#include "support/temp_dir.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

TEST(Checkpoint, ProgressOptimizerStateAndWeightAverageRoundTrip) {
  TempDir dir;
  ParamRegistry params;
  Parameter& weight = params.add("layer/weight", {2, 3}, Init::zeros());
  for (int64_t i = 0; i < 6; ++i) weight.value.data()[i] = 0.25f * static_cast<float>(i);
  OptimizerState optimizer;
  optimizer.steps = 17;
  optimizer.slots.push_back({"adam_m/layer/weight", weight.value});
  Tensor averaged({2, 3});
  averaged.fill(0.75f);
  const std::vector<NamedTensor> average = {{"average/layer/weight", averaged}};
  TrainingProgress progress;
  progress.step = 17;
  progress.epoch = 3;
  progress.batch_in_epoch = 5;
  progress.skipped_steps = 4;
  progress.bad_steps_in_row = 2;
  progress.elapsed_sec = 12.345678901234567;
  progress.best_metric = 1.0 / 3.0;
  progress.validations_without_improvement = 6;
  progress.early_stopped = true;
  progress.best_saved_metric = 0.1;
  progress.schedule.scale = 0.25;
  progress.schedule.bad_validations = 1;
  const std::string path = dir.path("checkpoint.bin");
  save_checkpoint(path, "training: {}\n", SubwordModel(), SubwordModel(), params, optimizer, average, progress);

  const Checkpoint c = read_checkpoint(path);
  EXPECT_EQ(c.config_yaml, "training: {}\n");
  EXPECT_EQ(c.optimizer.steps, 17);
  ASSERT_EQ(c.optimizer.slots.size(), 1u);
  EXPECT_EQ(c.optimizer.slots[0].name, "adam_m/layer/weight");
  EXPECT_EQ(std::memcmp(c.optimizer.slots[0].value.raw(), weight.value.raw(), weight.value.bytes()), 0);
  ASSERT_EQ(c.average.size(), 1u);
  EXPECT_EQ(c.average[0].name, "average/layer/weight");
  EXPECT_EQ(std::memcmp(c.average[0].value.raw(), averaged.raw(), averaged.bytes()), 0);
  const TrainingProgress& p = c.progress;
  EXPECT_EQ(p.step, 17);
  EXPECT_EQ(p.epoch, 3);
  EXPECT_EQ(p.batch_in_epoch, 5);
  EXPECT_EQ(p.skipped_steps, 4);
  EXPECT_EQ(p.bad_steps_in_row, 2);
  EXPECT_EQ(p.elapsed_sec, progress.elapsed_sec);
  EXPECT_EQ(p.best_metric, progress.best_metric);
  EXPECT_EQ(p.validations_without_improvement, 6);
  EXPECT_TRUE(p.early_stopped);
  EXPECT_EQ(p.best_saved_metric, 0.1);
  EXPECT_EQ(p.schedule.scale, 0.25);
  EXPECT_EQ(p.schedule.bad_validations, 1);
}

TEST(Checkpoint, MissingFileIsAModelFileError) {
  EXPECT_THROW(read_checkpoint("/nonexistent/checkpoint.bin"), ModelFileError);
}

}  // namespace
}  // namespace ferry
