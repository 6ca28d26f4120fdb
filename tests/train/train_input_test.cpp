// End-to-end runs of build/bin/train on data and folders it cannot use, and on its length filter.
#include <gtest/gtest.h>

#include "data/corpus.h"
#include "data/subword.h"
#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "util/file_io.h"

namespace ferry {
namespace {

std::string training_files(const std::string& src, const std::string& tgt) {
  return " --set data.train.src=" + src + " --set data.train.tgt=" + tgt + " ";
}

TEST(TrainProgram, NoTrainingPairLeftIsADataErrorWithTheCounts) {
  TempDir dir;
  ProcessResult r = run_command(tiny_train_command(dir, "--set data.max_length=1"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("train: error: no training pairs left in '" + multi30k_file("train.de.gz") + "' / '" +
                       multi30k_file("train.en.gz") +
                       "': 500 read, 0 with an empty side, 500 with a side longer than data.max_length = 1 "
                       "subwords"),
            std::string::npos)
      << r.err;

  const std::string empty_src = dir.write("empty.de", ""), empty_tgt = dir.write("empty.en", "");
  r = run_command(tiny_train_command(dir, training_files(empty_src, empty_tgt)));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(
      r.err.find("train: error: no training pairs left in '" + empty_src + "' / '" + empty_tgt +
                 "': 0 read, 0 with an empty side, 0 with a side longer than data.max_length = 100 subwords"),
      std::string::npos)
      << r.err;

  const std::string blank_src = dir.write("blank.de", "Ein Hund.\n \n"),
                    blank_tgt = dir.write("blank.en", "\n\t\n");
  r = run_command(tiny_train_command(dir, training_files(blank_src, blank_tgt)));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no training pairs left in '" + blank_src + "' / '" + blank_tgt +
                       "': 2 read, 2 with an empty side, 0 with a side longer"),
            std::string::npos)
      << r.err;
}

TEST(TrainProgram, ValidationSetWithoutPairsIsADataError) {
  TempDir dir;
  const std::string src = dir.write("valid.de", "Ein Hund.\n\n"), tgt = dir.write("valid.en", "\nA cat.\n");
  const ProcessResult r =
      run_command(tiny_train_command(dir, "--set data.valid.src=" + src + " --set data.valid.tgt=" + tgt));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("train: error: no validation pairs in '" + src + "' / '" + tgt +
                       "': 2 read, 2 with an empty side; give pairs there, or no data.valid to train without "
                       "validation"),
            std::string::npos)
      << r.err;
}

TEST(TrainProgram, UnusableFoldersAreInputErrorsBeforeAnyDataIsRead) {
  TempDir dir;
  const std::string file = dir.write("file", "not a folder");
  ProcessResult r = run_command(tiny_train_command(dir, "--set training.model_dir=" + file + "/run"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("train: error: cannot create the folder '" + file + "/run': "), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("train corpus"), std::string::npos) << r.err;

  r = run_command(tiny_train_command(dir, "--set vocab.tgt.model=" + file + "/spm.en.model"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("train: error: cannot create the folder '" + file + "': "), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("train corpus"), std::string::npos) << r.err;
  EXPECT_FALSE(file_exists(dir.path("spm.de.model")));
}

TEST(TrainProgram, LengthFilterCountsTheLongPairsItSkips) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(dir, "--dry-run --set data.max_length=12"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The same pairs through the subword models the run trained.
  const ParallelCorpus corpus =
      read_corpus({multi30k_file("train.de.gz"), multi30k_file("train.en.gz"), ""}, 500);
  const SubwordModel src = SubwordModel::load(dir.path("spm.de.model"));
  const SubwordModel tgt = SubwordModel::load(dir.path("spm.en.model"));
  size_t too_long = 0;
  for (size_t i = 0; i < corpus.size(); ++i)
    too_long += src.encode(corpus.src[i]).size() > 12 || tgt.encode(corpus.tgt[i]).size() > 12;
  ASSERT_GT(too_long, 0u);
  ASSERT_LT(too_long, 500u);
  EXPECT_NE(r.out.find("train pairs:       " + std::to_string(500 - too_long) + " (500 read, 0 empty, " +
                       std::to_string(too_long) + " too long)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find(std::to_string(too_long) + " skipped for having more than 12 subwords on a side"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace ferry
