// Data-parallel training under mpirun (Open MPI): two processes train the model one process trains, to the
// order of floating-point sums; process 0 alone speaks and writes; a stop signal stops every process at one
// step and the run resumes exactly; resuming with another process count is allowed and logged; a killed
// process ends the job with an error instead of leaving the others waiting.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <utility>

#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/numeric.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// Signalled, mpirun waits a grace period (odls_base_sigkill_timeout), sends SIGTERM to every process, and
// kills them one more grace period later; 5 s instead of 1 gives the processes time to finish their step and
// process 0 its checkpoint on a loaded machine.
std::string mpirun(int processes, const std::string& command) {
  return "mpirun --allow-run-as-root --oversubscribe --mca odls_base_sigkill_timeout 5 -np " +
         std::to_string(processes) + " " + command;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Every parameter of two checkpoints within `atol` + `rtol` |b|.
void expect_close_parameters(const Checkpoint& a, const Checkpoint& b, double rtol, double atol) {
  int compared = 0;
  for (const std::string& name : a.archive.names()) {
    if (name.rfind("param/", 0) != 0) continue;
    EXPECT_TRUE(all_close(a.archive.tensor(name), b.archive.tensor(name), rtol, atol)) << name;
    ++compared;
  }
  EXPECT_GT(compared, 10);
}

// A 2-process job on the tiny model, long enough not to end by itself: once `ready` is in train.log,
// `action` runs, a shell command in which $pid is mpirun and $process1 the newest train process (process 1:
// its command line holds the run's folder and starts with the train program, unlike mpirun's); then the job
// is waited for. Returns the job's result and how long it took in seconds.
std::pair<ProcessResult, double> act_while_training(const TempDir& dir, const std::string& options,
                                                    const std::string& ready, const std::string& action) {
  const std::string script =
      mpirun(2, tiny_train_command(dir, "--set training.max_epochs=100000 " + options)) +
      " & pid=$!; while kill -0 $pid 2>/dev/null && ! grep -q '" + ready + "' '" + dir.path("run/train.log") +
      "' 2>/dev/null; do sleep 0.05; done; process1=$(pgrep -n -f '^" + program_path("train") + ".*" +
      dir.path("run") + "'); " + action + "; wait $pid";
  const auto started = std::chrono::steady_clock::now();
  ProcessResult result = run_command(script);
  return {result, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

TEST(DataParallelProgram, TwoProcessesTrainTheModelOneProcessTrains) {
  const TempDir one, two;
  const std::string options =
      "--set training.max_steps=12 --set training.validate_every=6 --set training.max_epochs=0";
  const ProcessResult single = run_command(tiny_train_command(one, options));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  // Small buckets, so that the sums of several start while backward still runs.
  const ProcessResult pair =
      run_command(mpirun(2, tiny_train_command(two, options + " --set training.allreduce_bucket_mb=0.01")));
  ASSERT_EQ(pair.exit_code, 0) << pair.err;
  std::smatch buckets;
  ASSERT_TRUE(std::regex_search(pair.err, buckets,
                                std::regex("in ([0-9]+) buckets, each started as soon as backward has finished it")))
      << pair.err;
  EXPECT_GE(std::stoi(buckets[1]), 3) << pair.err;
  // Process 0 alone logs.
  EXPECT_EQ(count(pair.err, "training finished at step 12"), 1u) << pair.err;
  EXPECT_EQ(count(pair.err, "validation at step 6"), 1u) << pair.err;

  const Checkpoint a = read_checkpoint(one.path("run/checkpoint.bin"));
  const Checkpoint b = read_checkpoint(two.path("run/checkpoint.bin"));
  EXPECT_EQ(a.progress.processes, 1);
  EXPECT_EQ(b.progress.processes, 2);
  EXPECT_EQ(b.progress.step, 12);
  EXPECT_EQ(a.progress.batch_in_epoch, b.progress.batch_in_epoch);
  // Only the order of the sums differs; twelve Adam steps carry that into the last digits.
  expect_close_parameters(a, b, 1e-3, 1e-4);
  // The same training loss, the whole batch's, in both logs.
  const std::vector<MetricsLine> x = metrics_lines(read_file(one.path("run/metrics.jsonl")));
  const std::vector<MetricsLine> y = metrics_lines(read_file(two.path("run/metrics.jsonl")));
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    if (is_validation(x[i])) continue;
    EXPECT_NEAR(std::stod(x[i].at("loss")), std::stod(y[i].at("loss")), 1e-3) << "line " << i;
  }
}

TEST(DataParallelProgram, ResumingWithTheSameProcessCountIsExactAndWithAnotherIsLogged) {
  const TempDir straight, split;
  const auto command = [](const TempDir& dir, int steps) {
    return mpirun(2, tiny_train_command(dir, "--set training.validate_every=4 --set training.max_epochs=0"
                                             " --set model.decoder.dropout=0.3 --set training.max_steps=" +
                                                 std::to_string(steps)));
  };
  ASSERT_EQ(run_command(command(straight, 10)).exit_code, 0);
  ASSERT_EQ(run_command(command(split, 5)).exit_code, 0);
  const ProcessResult rest = run_command(command(split, 10));
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  const Checkpoint a = read_checkpoint(straight.path("run/checkpoint.bin"));
  const Checkpoint b = read_checkpoint(split.path("run/checkpoint.bin"));
  ASSERT_EQ(b.progress.step, 10);
  expect_close_parameters(a, b, 0.0, 0.0);

  const ProcessResult alone =
      run_command(tiny_train_command(split, "--set training.validate_every=4 --set training.max_epochs=0"
                                            " --set model.decoder.dropout=0.3 --set training.max_steps=12"));
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_NE(alone.err.find("the run was trained by 2 processes and goes on with 1"), std::string::npos)
      << alone.err;
  EXPECT_EQ(read_checkpoint(split.path("run/checkpoint.bin")).progress.step, 12);
}

TEST(DataParallelProgram, SigtermStopsEveryProcessAtOneStepAndTheRunResumes) {
  const TempDir dir;
  // Quiet (mpirun no longer reads the processes' output once signalled): the first validation says that
  // training is under way. mpirun's own exit status is 1 once it has passed a signal on; what matters is
  // what the processes did.
  act_while_training(dir, "--set training.log_every=100000", "validation at step 50 ", "kill -TERM $pid");
  const std::string logged = read_file(dir.path("run/train.log"));
  EXPECT_EQ(count(logged, "stopped by signal 15"), 1u) << logged;
  EXPECT_EQ(logged.find("error"), std::string::npos) << logged;
  const Checkpoint stopped = read_checkpoint(dir.path("run/checkpoint.bin"));
  EXPECT_GE(stopped.progress.step, 3);
  const ProcessResult resumed = run_command(mpirun(
      2, tiny_train_command(dir, "--set training.max_epochs=0 --set training.max_steps=" +
                                     std::to_string(stopped.progress.step + 2))));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, stopped.progress.step + 2);
}

TEST(DataParallelProgram, AKilledProcessEndsTheJobWithAnError) {
  const TempDir dir;
  const auto [r, seconds] =
      act_while_training(dir, "--set training.log_every=1", "step 3 ", "kill -KILL $process1");
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_LT(seconds, 60) << r.err;
}

// A process that stops answering (SIGSTOP) makes the others end the job once training.collective_timeout
// has passed.
TEST(DataParallelProgram, AProcessThatHangsEndsTheJobAfterTheTimeout) {
  const TempDir dir;
  const auto [r, seconds] =
      act_while_training(dir, "--set training.log_every=1 --set training.collective_timeout=3", "step 3 ",
                         "kill -STOP $process1");
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_LT(seconds, 60) << r.err;
  const std::string logged = read_file(dir.path("run/train.log"));
  EXPECT_NE(logged.find("no answer from the other processes within 3 s"), std::string::npos) << logged;
}

TEST(DataParallelProgram, ALanguageModelsStreamIsRefused) {
  const TempDir dir;
  const ProcessResult r =
      run_command(mpirun(2, tiny_lm_train_command(dir, "--set training.max_steps=2 --set training.bptt=10")));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("training.bptt: a language model's stream trains in one process"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace ferry
