// training.keep_checkpoints: the checkpoints of the last validations kept as checkpoint-<step>.bin, each the
// bytes of checkpoint.bin when it was written, the older ones removed; a run keeps them and average reads
// them.
#include "train/kept_checkpoints.h"

#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

TEST(KeptCheckpoints, KeepTheLatestAsTheyWereWritten) {
  const TempDir dir;
  const std::string checkpoint = dir.path("checkpoint.bin");
  for (int64_t step : {5, 10, 15}) {
    write_file_atomic(checkpoint, "state at " + std::to_string(step));
    keep_checkpoint(checkpoint, step, 2);
  }
  write_file_atomic(checkpoint, "state at 17");
  const auto kept = kept_checkpoints(dir.root());
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].first, 10);
  EXPECT_EQ(kept[1].first, 15);
  EXPECT_EQ(read_file(kept[0].second), "state at 10");
  EXPECT_EQ(read_file(kept[1].second), "state at 15");
  EXPECT_EQ(kept[1].second, kept_checkpoint_path(checkpoint, 15));
  EXPECT_FALSE(file_exists(dir.path("checkpoint-5.bin")));
  EXPECT_EQ(read_file(checkpoint), "state at 17");
}

TEST(KeptCheckpoints, OtherFilesAreNotTaken) {
  const TempDir dir;
  for (const char* name : {"checkpoint-.bin", "checkpoint-x1.bin", "checkpoint-3.bin.tmp.12", "model-3.bin"})
    dir.write(name, "other");
  dir.write("checkpoint-7.bin", "kept");
  const auto kept = kept_checkpoints(dir.root());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].first, 7);
}

TEST(KeptCheckpoints, ARunKeepsThemAndAverageReadsThem) {
  const TempDir dir;
  const ProcessResult trained = run_command(tiny_train_command(
      dir,
      small_valid_set(dir, 10) +
          "--set training.max_steps=20 --set training.validate_every=5 --set training.keep_checkpoints=2"));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const auto kept = kept_checkpoints(dir.path("run"));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].first, 15);
  EXPECT_EQ(kept[1].first, 20);
  EXPECT_EQ(read_checkpoint(kept[0].second).progress.step, 15);
  EXPECT_EQ(read_checkpoint(kept[1].second).progress.step, 20);
  const ProcessResult averaged = run_command(program_path("average") + " --out " + dir.path("avg.bin") + " " +
                                             kept[0].second + " " + kept[1].second);
  EXPECT_EQ(averaged.exit_code, 0) << averaged.err;
  EXPECT_TRUE(file_exists(dir.path("avg.bin")));
}

}  // namespace
}  // namespace ferry
