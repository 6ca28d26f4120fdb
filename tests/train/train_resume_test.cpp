// End-to-end runs of build/bin/train that stop (a limit, a signal, a kill) and continue from checkpoint.bin.
#include <gtest/gtest.h>

#include <cstring>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// Every parameter and optimizer tensor of two checkpoints is bitwise the same.
void expect_same_tensors(const Checkpoint& a, const Checkpoint& b) {
  const std::vector<std::string> names = a.archive.names();
  ASSERT_EQ(names, b.archive.names());
  for (const auto& name : names) {
    if (name.rfind("param/", 0) != 0 && name.rfind("optimizer/", 0) != 0) continue;
    const Tensor x = a.archive.tensor(name), y = b.archive.tensor(name);
    ASSERT_EQ(x.numel(), y.numel()) << name;
    ASSERT_EQ(std::memcmp(x.raw(), y.raw(), x.bytes()), 0) << name << " differs after resuming";
  }
}

TEST(TrainProgram, ResumedRunEqualsUninterruptedRun) {
  TempDir straight, split;
  const std::string options = "--set training.validate_every=1000 --set training.max_epochs=0 ";
  ASSERT_EQ(run_command(tiny_train_command(straight, options + "--set training.max_steps=40")).exit_code, 0);
  ProcessResult half = run_command(tiny_train_command(split, options + "--set training.max_steps=20"));
  ASSERT_EQ(half.exit_code, 0) << half.err;
  const ProcessResult rest = run_command(tiny_train_command(split, options + "--set training.max_steps=40"));
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_NE(rest.err.find("resuming from"), std::string::npos) << rest.err;

  const Checkpoint a = read_checkpoint(straight.path("run/checkpoint.bin"));
  const Checkpoint b = read_checkpoint(split.path("run/checkpoint.bin"));
  EXPECT_EQ(a.progress.step, 40);
  EXPECT_EQ(b.progress.step, 40);
  EXPECT_EQ(a.progress.batch_in_epoch, b.progress.batch_in_epoch);
  expect_same_tensors(a, b);
}

TEST(TrainProgram, SigtermSavesACheckpointAndTheRunResumes) {
  TempDir dir;
  // Start a long run, wait until it has taken a few steps, then ask it to stop.
  const std::string log = dir.path("run/train.log");
  const std::string script =
      tiny_train_command(dir, "--set training.max_epochs=100000 --set training.log_every=1") +
      " & pid=$!; for i in $(seq 600); do grep -q 'step 3 ' '" + log +
      "' 2>/dev/null && break; sleep 0.05; done; kill -TERM $pid; wait $pid";
  const ProcessResult r = run_command(script);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stopped by signal 15"), std::string::npos) << r.err;
  const Checkpoint stopped = read_checkpoint(dir.path("run/checkpoint.bin"));
  EXPECT_GE(stopped.progress.step, 3);
  const ProcessResult resumed = run_command(
      tiny_train_command(dir, "--set training.max_steps=" + std::to_string(stopped.progress.step + 2)));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming from"), std::string::npos);
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, stopped.progress.step + 2);
}

}  // namespace
}  // namespace ferry
