#include "train/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "util/json_line.h"

namespace ferry {
namespace {

ScheduleConfig schedule(const std::string& name, int64_t warmup = 0) {
  ScheduleConfig c;
  c.name = name;
  c.warmup_steps = warmup;
  return c;
}

TEST(LrSchedule, ConstantWithWarmup) {
  LrSchedule s(schedule("constant", 4), 0.01);
  EXPECT_DOUBLE_EQ(s.lr(1), 0.0025);
  EXPECT_DOUBLE_EQ(s.lr(2), 0.005);
  EXPECT_DOUBLE_EQ(s.lr(4), 0.01);
  EXPECT_DOUBLE_EQ(s.lr(1000), 0.01);
  EXPECT_FALSE(s.on_validation(false));
}

TEST(LrSchedule, InverseSqrtPeaksAtWarmupEnd) {
  LrSchedule s(schedule("inverse_sqrt", 100), 0.001);
  EXPECT_DOUBLE_EQ(s.lr(50), 0.0005);
  EXPECT_DOUBLE_EQ(s.lr(100), 0.001);
  EXPECT_DOUBLE_EQ(s.lr(400), 0.0005);
  LrSchedule no_warmup(schedule("inverse_sqrt"), 0.001);
  EXPECT_DOUBLE_EQ(no_warmup.lr(1), 0.001);
  EXPECT_DOUBLE_EQ(no_warmup.lr(4), 0.0005);
}

TEST(LrSchedule, PlateauDecaysAfterPatienceAndRespectsMinimum) {
  ScheduleConfig c = schedule("plateau");
  c.patience = 2;
  c.factor = 0.5;
  c.min_lr = 0.0002;
  LrSchedule s(c, 0.001);
  EXPECT_FALSE(s.on_validation(false));
  EXPECT_FALSE(s.on_validation(false));
  EXPECT_TRUE(s.on_validation(false));  // the third non-improvement in a row decays
  EXPECT_DOUBLE_EQ(s.lr(10), 0.0005);
  EXPECT_FALSE(s.on_validation(true));
  EXPECT_FALSE(s.on_validation(false));
  EXPECT_FALSE(s.on_validation(false));
  EXPECT_TRUE(s.on_validation(false));
  EXPECT_DOUBLE_EQ(s.lr(10), 0.00025);
  for (int i = 0; i < 9; ++i) s.on_validation(false);
  EXPECT_DOUBLE_EQ(s.lr(10), 0.0002);

  LrSchedule restored(c, 0.001);
  restored.set_state(s.state());
  EXPECT_DOUBLE_EQ(restored.lr(10), s.lr(10));
}

TEST(JsonLine, EscapesAndFormats) {
  JsonLine line;
  line.add("step", int64_t{12}).add("loss", 2.5).add("name", "a\"b\\c\n").add("nan", std::nan("")).add("ok", true);
  EXPECT_EQ(line.str(), "{\"step\": 12, \"loss\": 2.5, \"name\": \"a\\\"b\\\\c\\n\", \"nan\": null, \"ok\": true}");
}

}  // namespace
}  // namespace ferry
