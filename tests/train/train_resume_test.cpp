// End-to-end runs of build/bin/train that stop (a limit, a signal, a kill) and continue from checkpoint.bin.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <utility>

#include "support/metrics_lines.h"
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

// Every step's training line and validation line appear at most once, in order.
void expect_each_step_once(const std::string& metrics) {
  std::set<std::pair<bool, int64_t>> seen;
  int64_t last_training_step = 0;
  for (const MetricsLine& line : metrics_lines(metrics)) {
    const int64_t step = std::stoll(line.at("step"));
    EXPECT_TRUE(seen.insert({is_validation(line), step}).second) << "step " << step << " twice in:\n"
                                                                 << metrics;
    if (is_validation(line)) continue;
    EXPECT_GT(step, last_training_step) << metrics;
    last_training_step = step;
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

TEST(TrainProgram, MetricsWrittenAfterTheCheckpointAreDroppedOnResume) {
  TempDir dir;
  const std::string options =
      small_valid_set(dir, 20) + "--set training.log_every=1 --set training.validate_every=5";
  ASSERT_EQ(run_command(tiny_train_command(dir, options + " --set training.max_steps=10")).exit_code, 0);
  // What a run killed after its checkpoint of step 10 could have left: later lines, a half-written one.
  const std::string path = dir.path("run/metrics.jsonl");
  const std::string before = read_file(path);
  write_file_atomic(
      path, before + "{\"step\": 11, \"loss\": 1}\n{\"step\": 12, \"valid_ppl\": 9}\n{\"step\": 13, \"lo");
  const ProcessResult r = run_command(tiny_train_command(dir, options + " --set training.max_steps=15"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string after = read_file(path);
  ASSERT_EQ(after.compare(0, before.size(), before), 0) << after;
  expect_each_step_once(after);
  std::vector<int64_t> training_steps, validation_steps;
  for (const MetricsLine& line : metrics_lines(after))
    (is_validation(line) ? validation_steps : training_steps).push_back(std::stoll(line.at("step")));
  std::vector<int64_t> every_step(15);
  for (int64_t i = 0; i < 15; ++i) every_step[i] = i + 1;
  EXPECT_EQ(training_steps, every_step);
  EXPECT_EQ(validation_steps, (std::vector<int64_t>{5, 10, 15}));
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

TEST(TrainProgram, KilledRunLeavesALoadableCheckpointAndTheNextRunRemovesItsTemporaries) {
  TempDir dir;
  const std::string options =
      small_valid_set(dir, 20) + "--set training.log_every=1 --set training.validate_every=5";
  const std::string log = dir.path("run/train.log");
  const std::string script = tiny_train_command(dir, options + " --set training.max_epochs=100000") +
                             " & pid=$!; echo $pid; for i in $(seq 600); do grep -q 'step 8 ' '" + log +
                             "' 2>/dev/null && break; sleep 0.05; done; kill -KILL $pid; wait $pid";
  const ProcessResult killed = run_command(script);
  ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
  const Checkpoint saved = read_checkpoint(dir.path("run/checkpoint.bin"));
  EXPECT_GE(saved.progress.step, 5);
  // What a kill while writing leaves: the killed process's half-written temporaries.
  const std::string pid = killed.out.substr(0, killed.out.find('\n'));
  const std::string stale_checkpoint = dir.write("run/checkpoint.bin.tmp." + pid, "FERRYCKP half");
  const std::string stale_model = dir.write("run/model.bin.tmp." + pid, "FERRYMDL half");

  const int64_t next = saved.progress.step + 3;
  const ProcessResult r =
      run_command(tiny_train_command(dir, options + " --set training.max_steps=" + std::to_string(next)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("removed " + stale_checkpoint + ", left by a run killed while writing"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("removed " + stale_model + ", left by a run killed while writing"), std::string::npos)
      << r.err;
  EXPECT_FALSE(file_exists(stale_checkpoint));
  EXPECT_FALSE(file_exists(stale_model));
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, next);
  expect_each_step_once(read_file(dir.path("run/metrics.jsonl")));
}

}  // namespace
}  // namespace ferry
