// End-to-end runs of build/bin/train that end by early stopping or the time limit, or skip batches on the
// way.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "data/corpus.h"
#include "data/subword.h"
#include "support/checkpoint_poison.h"
#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(TrainProgram, EarlyStoppingEndsTheRunAndAResumedRunHasNothingToDo) {
  TempDir dir;
  // A learning rate of 0 leaves the model, and so the validation perplexity, as it was: every validation
  // after the first one (step 2) is no improvement. Validations every 2 steps.
  const std::string options = small_valid_set(dir, 20) +
                              "--set training.optimizer.lr=0 --set training.validate_every=2 "
                              "--set training.max_epochs=0 --set training.early_stopping.metric=ppl ";
  const auto run = [&](int patience, int max_steps) {
    return run_command(tiny_train_command(
        dir, options + "--set training.early_stopping.patience=" + std::to_string(patience) +
                 " --set training.max_steps=" + std::to_string(max_steps)));
  };
  const ProcessResult r = run(2, 100);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("validation at step 6 "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(", no improvement in 2 validations: stopping"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("training stopped early at step 6 "), std::string::npos) << r.err;
  const std::string checkpoint_file = dir.path("run/checkpoint.bin");
  const Checkpoint stopped = read_checkpoint(checkpoint_file);
  EXPECT_EQ(stopped.progress.step, 6);
  EXPECT_TRUE(stopped.progress.early_stopped);
  EXPECT_EQ(stopped.progress.validations_without_improvement, 2);

  // The same command again: the run is over; nothing is trained or written.
  const std::string checkpoint_bytes = read_file(checkpoint_file);
  const std::string metrics = read_file(dir.path("run/metrics.jsonl"));
  const ProcessResult again = run(2, 100);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("this run already stopped early at step 6 (no improvement in 2 validations)"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(again.err.find("validation at step"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(checkpoint_file), checkpoint_bytes);
  EXPECT_EQ(read_file(dir.path("run/metrics.jsonl")), metrics);

  // Patience 0 (never stop) continues it to the step limit: 4 validations without improvement by step 10.
  const ProcessResult unlimited = run(0, 10);
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited.err;
  EXPECT_NE(unlimited.err.find("continuing with training.early_stopping.patience = 0"), std::string::npos)
      << unlimited.err;
  EXPECT_NE(unlimited.err.find("training finished at step 10 "), std::string::npos) << unlimited.err;
  EXPECT_EQ(read_checkpoint(checkpoint_file).progress.validations_without_improvement, 4);

  // Patience 3 then stops it at the next validation, which is the fifth without improvement.
  const ProcessResult patient = run(3, 100);
  ASSERT_EQ(patient.exit_code, 0) << patient.err;
  EXPECT_NE(patient.err.find(", no improvement in 5 validations: stopping"), std::string::npos)
      << patient.err;
  EXPECT_NE(patient.err.find("training stopped early at step 12 "), std::string::npos) << patient.err;
}

TEST(TrainProgram, MaxTimeEndsARun) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(
      dir, small_valid_set(dir, 20) + "--set training.max_time=1 --set training.max_epochs=0 "
                                      "--set training.validate_every=100000"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("training finished at step "), std::string::npos) << r.err;
  const Checkpoint checkpoint = read_checkpoint(dir.path("run/checkpoint.bin"));
  EXPECT_GT(checkpoint.progress.step, 0);
  // The limit is checked before every batch: the run cannot end before it (max_epochs 0 sets no other).
  EXPECT_GE(checkpoint.progress.elapsed_sec, 1.0);
}

// The id of a source subword that occurs in a few of the tiny run's training pairs only.
int rare_source_id(const TempDir& dir) {
  const ParallelCorpus corpus =
      read_corpus({multi30k_file("train.de.gz"), multi30k_file("train.en.gz"), ""}, 500);
  const SubwordModel model = SubwordModel::load(dir.path("spm.de.model"));
  std::map<int, int> pairs_with;
  for (const std::string& line : corpus.src) {
    TokenIds ids = model.encode(line);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int id : ids) ++pairs_with[id];
  }
  for (const auto& [id, count] : pairs_with) {
    if (count == 2) return id;
  }
  return -1;
}

TEST(TrainProgram, SkippedBatchesAreCountedInTheLogAndMetrics) {
  TempDir dir;
  const std::string valid = small_valid_set(dir, 20);
  ASSERT_EQ(run_command(tiny_train_command(dir, valid + "--set training.max_steps=2")).exit_code, 0);
  // Poison the embedding of a rare source subword: the batches holding its two pairs have a non-finite loss,
  // the others train on.
  const int id = rare_source_id(dir);
  ASSERT_GE(id, 0);
  const std::string path = dir.path("run/checkpoint.bin");
  const Tensor table = read_checkpoint(path).archive.tensor("param/encoder/embedding/weight");
  poison_checkpoint_parameter(path, "encoder/embedding/weight", id * table.dims()[1]);

  const ProcessResult r =
      run_command(tiny_train_command(dir, valid + "--set training.max_steps=40 --set training.log_every=5"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int64_t skipped = static_cast<int64_t>(count_of(r.err, "non-finite loss, batch skipped"));
  EXPECT_GE(skipped, 2) << r.err;
  EXPECT_EQ(read_checkpoint(path).progress.skipped_steps, skipped);
  EXPECT_EQ(read_checkpoint(path).progress.step, 40);
  EXPECT_NE(r.err.find("training finished at step 40 "), std::string::npos) << r.err;
  EXPECT_NE(
      r.err.find("; " + std::to_string(skipped) + " batches skipped for a non-finite loss or gradient;"),
      std::string::npos)
      << r.err;
  const std::vector<MetricsLine> lines = metrics_lines(read_file(dir.path("run/metrics.jsonl")));
  auto last_training =
      std::find_if(lines.rbegin(), lines.rend(), [](const MetricsLine& l) { return !is_validation(l); });
  ASSERT_NE(last_training, lines.rend());
  EXPECT_EQ(last_training->at("step"), "40");
  EXPECT_EQ(last_training->at("skipped_steps"), std::to_string(skipped));
}

}  // namespace
}  // namespace ferry
