// End-to-end runs of build/bin/train on real (small) data.
#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// The tiny config with its files redirected into `dir`.
std::string tiny_command(const TempDir& dir, const std::string& extra) {
  return program_path("train") + " --config " + source_dir() + "/configs/tiny.yaml" +
         " --set data.train.src=" + multi30k_file("train.de.gz") + " --set data.train.tgt=" +
         multi30k_file("train.en.gz") + " --set data.valid.src=" + multi30k_file("val.de.gz") +
         " --set data.valid.tgt=" + multi30k_file("val.en.gz") + " --set vocab.src.model=" + dir.path("spm.de.model") +
         " --set vocab.tgt.model=" + dir.path("spm.en.model") + " --set training.model_dir=" + dir.path("run") + " " +
         extra;
}

TEST(TrainProgram, DryRunPrintsCorpusStatistics) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_command(dir, "--dry-run"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(500 read, 0 empty, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("valid pairs:       1014"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("batches per epoch:"), std::string::npos) << r.out;
  EXPECT_TRUE(file_exists(dir.path("spm.de.model")));
  EXPECT_TRUE(file_exists(dir.path("spm.en.model")));
}

TEST(TrainProgram, ConfigErrorExitsTwoBeforeAnyFileIsWritten) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_command(dir, "--set model.encoder.layer=3"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("train: error: unknown key 'model.encoder.layer' at --set model.encoder.layer=3; did you "
                       "mean 'model.encoder.layers'?"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(dir.list().empty());
}

TEST(TrainProgram, BadOptionsAndMissingConfig) {
  ProcessResult r = run_command(program_path("train") + " --no-such-option");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-option"), std::string::npos) << r.err;
  r = run_command(program_path("train"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--config FILE is required"), std::string::npos) << r.err;
  r = run_command(program_path("train") + " --config /nonexistent.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read config file '/nonexistent.yaml'"), std::string::npos) << r.err;
}

TEST(TrainProgram, HelpListsEveryOption) {
  const ProcessResult r = run_command(program_path("train") + " --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--config", "--set", "--dry-run", "--describe-config", "--help"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace ferry
