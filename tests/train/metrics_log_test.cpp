#include "train/metrics_log.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

TEST(MetricsLog, ResumeKeepsTheCompleteLinesUpToTheCheckpointStep) {
  const std::string text =
      "{\"step\": 10, \"loss\": 3}\n{\"step\": 10, \"valid_ppl\": 20}\n{\"step\": 20, \"loss\": 2}\n"
      "{\"step\": 30, \"loss\": 1}\n{\"step\": 40, \"lo";
  EXPECT_EQ(metrics_up_to_step(text, 20),
            "{\"step\": 10, \"loss\": 3}\n{\"step\": 10, \"valid_ppl\": 20}\n{\"step\": 20, \"loss\": 2}\n");
  EXPECT_EQ(metrics_up_to_step(text, 9), "");
  EXPECT_EQ(metrics_up_to_step(text, 100), text.substr(0, text.rfind('\n') + 1));
}

TEST(MetricsLog, FreshRunEmptiesTheFileAndResumedRunAppends) {
  TempDir dir;
  const std::string path = dir.write("metrics.jsonl", "{\"step\": 5}\n{\"step\": 6}\n{\"st");
  {
    MetricsLog resumed(path, 5);
    resumed.write(JsonLine().add("step", 6));
  }
  EXPECT_EQ(read_file(path), "{\"step\": 5}\n{\"step\": 6}\n");
  {
    MetricsLog fresh(path, std::nullopt);
    fresh.write(JsonLine().add("step", 1));
  }
  EXPECT_EQ(read_file(path), "{\"step\": 1}\n");
  MetricsLog resumed_without_file(dir.path("new.jsonl"), 3);
  EXPECT_EQ(read_file(dir.path("new.jsonl")), "");
}

TEST(MetricsLog, UnwritablePathIsAnInputError) {
  EXPECT_THROW(MetricsLog("/nonexistent/metrics.jsonl", std::nullopt), InputError);
}

}  // namespace
}  // namespace ferry
