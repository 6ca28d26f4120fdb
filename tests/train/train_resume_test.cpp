// End-to-end runs of build/bin/train that stop (a limit, a signal, a kill) and continue from checkpoint.bin.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <ostream>
#include <set>
#include <utility>

#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// Every parameter, optimizer, weight-average and carried-state tensor of two checkpoints is bitwise the same.
void expect_same_tensors(const Checkpoint& a, const Checkpoint& b) {
  const std::vector<std::string> names = a.archive.names();
  ASSERT_EQ(names, b.archive.names());
  for (const auto& name : names) {
    if (name.rfind("param/", 0) != 0 && name.rfind("optimizer/", 0) != 0 && name.rfind("average/", 0) != 0 &&
        name.rfind(kCarriedPrefix, 0) != 0)
      continue;
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

// Equal, or both NaN (no validation yet).
void expect_same_value(double a, double b, const char* what) {
  EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << what << ": " << a << " and " << b;
}

struct ResumeCase {
  const char* name;
  std::string options;
  bool language_model = false;  // the tiny language model instead of the tiny translation model
};

void PrintTo(const ResumeCase& c, std::ostream* out) { *out << c.name; }

class ResumedRun : public ::testing::TestWithParam<ResumeCase> {};

// A run stopped at step 22 and continued to step 40 ends where a run straight to step 40 does.
TEST_P(ResumedRun, EqualsUninterruptedRun) {
  TempDir straight, split;
  const std::string options = GetParam().options + " --set training.max_epochs=0";
  const auto command = [&](const TempDir& dir, const std::string& steps) {
    const std::string extra = options + " --set training.max_steps=" + steps;
    return GetParam().language_model ? tiny_lm_train_command(dir, extra)
                                     : tiny_train_command(dir, extra + small_valid_set(dir, 40));
  };
  const ProcessResult whole = run_command(command(straight, "40"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const ProcessResult half = run_command(command(split, "22"));
  ASSERT_EQ(half.exit_code, 0) << half.err;
  if (GetParam().options.find("bptt") != std::string::npos) {
    ASSERT_FALSE(read_checkpoint(split.path("run/checkpoint.bin")).carried_state.empty())
        << "the run stopped with no state to carry: the case tests less than it says";
  }
  const ProcessResult rest = run_command(command(split, "40"));
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_NE(rest.err.find("resuming from"), std::string::npos) << rest.err;

  const Checkpoint a = read_checkpoint(straight.path("run/checkpoint.bin"));
  const Checkpoint b = read_checkpoint(split.path("run/checkpoint.bin"));
  EXPECT_EQ(a.progress.step, 40);
  EXPECT_EQ(b.progress.step, 40);
  EXPECT_EQ(a.progress.batch_in_epoch, b.progress.batch_in_epoch);
  expect_same_value(a.progress.best_metric, b.progress.best_metric, "best validation");
  EXPECT_EQ(a.progress.validations_without_improvement, b.progress.validations_without_improvement);
  expect_same_value(a.progress.schedule.scale, b.progress.schedule.scale, "learning-rate scale");
  EXPECT_EQ(a.progress.schedule.bad_validations, b.progress.schedule.bad_validations);
  expect_same_tensors(a, b);
  if (GetParam().options.find("ema_decay") != std::string::npos) {
    ASSERT_FALSE(a.average.empty())
        << "no weight average in the checkpoint: the case tests less than it says";
  }
  if (GetParam().options.find("plateau") != std::string::npos) {
    ASSERT_LT(a.progress.schedule.scale, 1.0)
        << "the learning rate never decayed: the case tests less than it says";
  }
  expect_each_step_once(read_file(split.path("run/metrics.jsonl")));
}

INSTANTIATE_TEST_SUITE_P(
    TrainProgram, ResumedRun,
    ::testing::Values(ResumeCase{"ConstantRateNoValidation", "--set training.validate_every=1000"},
                      // Sums split over two threads are still summed the same way in both runs.
                      ResumeCase{"TwoThreads", "--set training.threads=2 --set training.validate_every=1000"},
                      // Periodic validations at 5, 10, ... and one at 22, where the first part ends; BLEU on
                      // 40 sentences of an early model does not improve every time, so the rate decays.
                      ResumeCase{
                          "DropoutAndPlateauSchedule",
                          "--set model.encoder.dropout=0.3 --set model.decoder.dropout=0.3"
                          " --set training.schedule.name=plateau --set training.schedule.patience=0"
                          " --set training.early_stopping.metric=bleu --set training.validate_every=5"},
                      // Validations (on the averaged weights) at 5, 10, ... and at 22.
                      ResumeCase{"WeightAverage",
                                 "--set training.ema_decay=0.9 --set training.early_stopping.metric=ppl"
                                 " --set training.validate_every=5"},
                      // The step-wise decoder pass, with its dropout masks drawn per batch.
                      ResumeCase{"InputFeeding",
                                 "--set model.decoder.input_feeding=true --set model.decoder.dropout=0.3"
                                 " --set training.validate_every=5"},
                      // Recurrent dropout: the decoder run step by step, a mask per sentence and layer.
                      ResumeCase{"RecurrentDropout",
                                 "--set model.decoder.recurrent_dropout=0.3 --set model.decoder.dropout=0.3"
                                 " --set training.validate_every=5"},
                      // A language model, its dropout on and its validations at 10, 20, 22 and 30.
                      ResumeCase{"LanguageModel", "--set model.decoder.dropout=0.3", true},
                      // A language model's stream: the state carried from batch to batch, across the stop.
                      ResumeCase{"LanguageModelStream",
                                 "--set training.bptt=10 --set model.decoder.dropout=0.3", true}),
    [](const ::testing::TestParamInfo<ResumeCase>& info) { return std::string(info.param.name); });

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
      " & pid=$!; while kill -0 $pid 2>/dev/null && ! grep -q 'step 3 ' '" + log +
      "' 2>/dev/null; do sleep 0.05; done; kill -TERM $pid; wait $pid";
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

TEST(TrainProgram, SigtermBeforeTrainingStartsEndsTheRunAtOnce) {
  TempDir dir;
  // The signal is there before the run reads its data: nothing to save yet.
  const ProcessResult r = run_with_pending_signal(tiny_train_command(dir), SIGTERM);
  EXPECT_EQ(r.exit_code, 128 + 15) << r.err;
  EXPECT_NE(r.err.find("train: stopped by a signal before training started"), std::string::npos) << r.err;
  EXPECT_FALSE(file_exists(dir.path("run/checkpoint.bin")));
}

TEST(TrainProgram, SecondSigtermEndsTheRunAtOnceAndKeepsThePreviousCheckpoint) {
  TempDir dir;
  ASSERT_EQ(run_command(tiny_train_command(dir, "--set training.max_steps=2")).exit_code, 0);
  const std::string checkpoint = read_file(dir.path("run/checkpoint.bin"));
  // Both signals come as the run starts validating at step 3, a beam search over 1014 sentences that takes
  // over a second: the first would let it finish that and save, the second ends it before. Two different
  // signals, sent back to back, never merge into one.
  const std::string log = dir.path("run/train.log");
  const std::string script =
      tiny_train_command(
          dir,
          "--set training.max_steps=100 --set training.log_every=1 --set training.validate_every=3"
          " --set training.validation_beam_size=4") +
      " & pid=$!; while kill -0 $pid 2>/dev/null && ! grep -q 'step 3 ' '" + log +
      "' 2>/dev/null; do sleep 0.05; done; kill -INT $pid; kill -TERM $pid; wait $pid";
  const ProcessResult r = run_command(script);
  EXPECT_EQ(r.exit_code, 128 + 15) << r.err;
  EXPECT_NE(r.err.find("train: second signal, exiting without saving"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(log).find("validation at step 3"), std::string::npos)
      << "the run was not stopped at once";
  EXPECT_EQ(read_file(dir.path("run/checkpoint.bin")), checkpoint);
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, 2);
}

TEST(TrainProgram, KilledRunLeavesALoadableCheckpointAndTheNextRunRemovesItsTemporaries) {
  TempDir dir;
  const std::string options =
      small_valid_set(dir, 20) + "--set training.log_every=1 --set training.validate_every=5";
  const std::string log = dir.path("run/train.log");
  const std::string script = tiny_train_command(dir, options + " --set training.max_epochs=100000") +
                             " & pid=$!; echo $pid; while kill -0 $pid 2>/dev/null && ! grep -q 'step 8 ' '" +
                             log + "' 2>/dev/null; do sleep 0.05; done; kill -KILL $pid; wait $pid";
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

TEST(TrainProgram, ResumeRefusesAnotherEarlyStoppingMetric) {
  TempDir dir;
  ASSERT_EQ(run_command(tiny_train_command(dir, "--set training.max_steps=2")).exit_code, 0);
  // The tiny config stops early by ppl.
  const ProcessResult r = run_command(
      tiny_train_command(dir, "--set training.max_steps=4 --set training.early_stopping.metric=bleu"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("training.early_stopping.metric: ppl -> bleu"), std::string::npos) << r.err;
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, 2);
}

TEST(TrainProgram, ResumeRefusesTrainingDataThatChangedAtTheSamePath) {
  TempDir dir;
  // The first 300 pairs of Multi30k as files of the run's own.
  const auto lines = [](const std::string& name) {
    std::string text;
    for (const std::string& line : multi30k_lines(name, 300)) text += line + "\n";
    return text;
  };
  const std::string src = dir.write("train.de", lines("train.de.gz"));
  std::string tgt_text = lines("train.en.gz");
  const std::string tgt = dir.write("train.en", tgt_text);
  const std::string data = " --set data.train.src=" + src + " --set data.train.tgt=" + tgt;
  ASSERT_EQ(run_command(tiny_train_command(dir, data + " --set training.max_steps=2")).exit_code, 0);
  // The same files with the first two target lines swapped: pairs misaligned, vocabularies unchanged.
  const size_t first = tgt_text.find('\n') + 1, second = tgt_text.find('\n', first) + 1;
  dir.write("train.en",
            tgt_text.substr(first, second - first) + tgt_text.substr(0, first) + tgt_text.substr(second));
  const ProcessResult r = run_command(tiny_train_command(dir, data + " --set training.max_steps=4"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("are not those " + dir.path("run/checkpoint.bin") + " was trained on"),
            std::string::npos)
      << r.err;
}

TEST(TrainProgram, ASecondRunOnTheSameFolderIsRefusedWhileTheFirstRuns) {
  TempDir dir;
  const std::string log = dir.path("run/train.log");
  const std::string second = dir.path("second.err");
  // The second run starts once the first is training, and must end at once with exit 2.
  const std::string script =
      tiny_train_command(dir, "--set training.max_epochs=100000 --set training.log_every=1") +
      " 2>/dev/null & pid=$!; while kill -0 $pid 2>/dev/null && ! grep -q 'step 2 ' '" + log +
      "' 2>/dev/null; do sleep 0.05; done; " + tiny_train_command(dir, "--overwrite") + " 2> '" + second +
      "'; code=$?; kill -TERM $pid; wait $pid; echo $pid; exit $code";
  const ProcessResult r = run_command(script);
  EXPECT_EQ(r.exit_code, 2) << read_file(second);
  const std::string pid = r.out.substr(0, r.out.find('\n'));
  EXPECT_NE(read_file(second).find("is in use by another train run (pid " + pid + ", started "),
            std::string::npos)
      << read_file(second);
  // The first run was left alone: it stopped on its signal and saved its own checkpoint.
  EXPECT_GE(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, 2);
}

TEST(TrainProgram, AFinishedRunStartedAgainDoesNotValidateAgain) {
  TempDir dir;
  const std::string options =
      small_valid_set(dir, 20) + "--set training.max_steps=3 --set training.validate_every=100";
  ASSERT_EQ(run_command(tiny_train_command(dir, options)).exit_code, 0);
  const std::string metrics = read_file(dir.path("run/metrics.jsonl"));
  const ProcessResult again = run_command(tiny_train_command(dir, options));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(dir.path("run/metrics.jsonl")), metrics);
  expect_each_step_once(metrics);
}

}  // namespace
}  // namespace ferry
