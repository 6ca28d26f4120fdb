// scripts/plot-training.py and scripts/plot-attention.py on a tiny trained run: each writes a PNG of the size
// it promises; bad input exits 2 with a message.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "util/file_io.h"

namespace ferry {
namespace {

// Width and height from a PNG's header chunk (IHDR), {0, 0} for anything that is not a PNG.
std::pair<uint32_t, uint32_t> png_size(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0)
    return {0, 0};
  const auto word = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {word(16), word(20)};
}

class PlotScripts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    model_ = train_tiny_model(*dir_);
  }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::string script(const std::string& name) {
    return "FERRY_BIN_DIR=" + std::string(FERRY_BIN_DIR) + " " + source_dir() + "/scripts/" + name;
  }
  static std::unique_ptr<TempDir> dir_;
  static std::string model_;
};

std::unique_ptr<TempDir> PlotScripts::dir_;
std::string PlotScripts::model_;

TEST_F(PlotScripts, TrainingCurvesOfOneRunAndOfTwoSideBySide) {
  const std::string run = dir_->path("run");
  const std::string one = dir_->path("one.png"), two = dir_->path("two.png");
  const ProcessResult a = run_command(script("plot-training.py") + " " + run + " --out " + one);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(png_size(one), (std::pair<uint32_t, uint32_t>{1600, 700}));
  const ProcessResult b = run_command(script("plot-training.py") + " " + run + " " + run + " --out " + two);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(png_size(two), (std::pair<uint32_t, uint32_t>{1600, 700}));

  const ProcessResult missing = run_command(script("plot-training.py") + " " + dir_->path("nowhere"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no metrics.jsonl in '" + dir_->path("nowhere") + "'"), std::string::npos)
      << missing.err;
  const std::string broken = dir_->path("broken");
  run_command("mkdir -p " + broken + " && printf '{\"step\": 1}\\nnot json\\n' > " + broken + "/metrics.jsonl");
  const ProcessResult bad = run_command(script("plot-training.py") + " " + broken);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("metrics.jsonl:2: not a JSON object"), std::string::npos) << bad.err;
}

TEST_F(PlotScripts, AttentionOfATranslation) {
  const std::string out = dir_->path("attention.png");
  const ProcessResult r = run_command(script("plot-attention.py") + " --model " + model_ +
                                      " --src 'Ein Hund läuft durch das Gras.' --out " + out +
                                      " -- --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(png_size(out), (std::pair<uint32_t, uint32_t>{800, 600}));

  const ProcessResult bad = run_command(script("plot-attention.py") + " --model " + dir_->path("none.bin") +
                                        " --src 'Ein Hund.' --out " + dir_->path("none.png"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("none.bin"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace ferry
