// scripts/evaluate.sh end to end: a tiny trained model, a 20-line test set.
#include <gtest/gtest.h>

#include <sstream>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

std::string script() {
  return "FERRY_BIN_DIR=" + std::string(FERRY_BIN_DIR) + " " + source_dir() + "/scripts/evaluate.sh";
}

std::string first_lines(const TempDir& dir, const std::string& name, size_t count) {
  std::string text;
  for (const auto& line : multi30k_lines(name, count)) text += line + "\n";
  return dir.write(name.substr(0, name.size() - 3) + ".txt", text);
}

class EvaluateScript : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    model_ = new std::string(train_tiny_model(*dir_));
  }
  static void TearDownTestSuite() {
    delete model_;
    delete dir_;
  }
  static TempDir* dir_;
  static std::string* model_;
};
TempDir* EvaluateScript::dir_ = nullptr;
std::string* EvaluateScript::model_ = nullptr;

TEST_F(EvaluateScript, PrintsAMarkdownRowPerTestSet) {
  TempDir dir;
  const std::string src = first_lines(dir, "test_2016_flickr.de.gz", 20);
  const std::string ref = first_lines(dir, "test_2016_flickr.en.gz", 20);
  const ProcessResult r =
      run_command(script() + " --keep " + dir.path("kept") + " " + *model_ + " " + src + ":" + ref + " " + src +
                  ":" + ref + " -- --beam-size 2 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream out(r.out);
  std::string header, rule, row;
  std::getline(out, header);
  std::getline(out, rule);
  EXPECT_EQ(header, "| test set | sentences | BLEU | chrF | sentences/s |");
  int rows = 0;
  while (std::getline(out, row)) {
    ++rows;
    // | test_2016_flickr | 20 | <bleu> | <chrf> | <speed> |
    std::istringstream cells(row);
    std::string bar, name, sentences, bleu, chrf, speed;
    cells >> bar >> name >> bar >> sentences >> bar >> bleu >> bar >> chrf >> bar >> speed;
    EXPECT_EQ(name, "test_2016_flickr");
    EXPECT_EQ(sentences, "20");
    EXPECT_GE(std::stod(bleu), 0.0);
    EXPECT_GT(std::stod(chrf), 0.0);
    EXPECT_GT(std::stod(speed), 0.0);
  }
  EXPECT_EQ(rows, 2);
  const ProcessResult kept = run_command("wc -l < " + dir.path("kept/test_2016_flickr.hyp"));
  EXPECT_EQ(kept.out, "20\n");
}

TEST_F(EvaluateScript, MissingFilesAndModelFailClearly) {
  TempDir dir;
  const std::string src = first_lines(dir, "test_2016_flickr.de.gz", 20);
  ProcessResult r = run_command(script() + " " + *model_ + " " + src + ":" + dir.path("missing.en"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("reference file '" + dir.path("missing.en") + "' not found"), std::string::npos) << r.err;
  r = run_command(script() + " " + dir.path("missing.bin") + " " + src + ":" + src);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model file"), std::string::npos) << r.err;
  r = run_command(script() + " " + *model_ + " " + src);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not SRC:REF"), std::string::npos) << r.err;
}

TEST_F(EvaluateScript, NoScoreForATranslationThatLostLines) {
  TempDir dir;
  const std::string src = first_lines(dir, "test_2016_flickr.de.gz", 20);
  const std::string ref = first_lines(dir, "test_2016_flickr.en.gz", 20);
  // A stand-in translate that drops the last line.
  dir.write("bin/translate", "#!/bin/sh\nhead -n 19\n");
  run_command("chmod +x " + dir.path("bin/translate") + " && ln -s " + std::string(FERRY_BIN_DIR) +
              "/evaluate " + dir.path("bin/evaluate"));
  const ProcessResult r = run_command("FERRY_BIN_DIR=" + dir.path("bin") + " " + source_dir() +
                                      "/scripts/evaluate.sh " + *model_ + " " + src + ":" + ref);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("has 19 lines for 20 source lines; no score"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("| test_2016_flickr |"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ferry
