// build/bin/score on a trained tiny model: one line per reference line with its log-probability (the same
// number translate --score gives: one implementation), token count and perplexity, or a JSON object; the
// corpus perplexity on stderr; hostile lines still one line out each; bad arguments and line counts exit 2
// with nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::vector<std::string> tab_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  return fields;
}

class ScoreProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    model_ = train_tiny_model(*dir_);
    source_ = dir_->write("src.txt", joined(multi30k_lines("test_2016_flickr.de.gz", 10)));
    references_ = joined(multi30k_lines("test_2016_flickr.en.gz", 10));
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static ProcessResult score(const std::string& options, const std::string& input) {
    return run_command(program_path("score") + " --model " + model_ + " --threads 1 " + options, input);
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string model_, source_, references_;
};

std::unique_ptr<TempDir> ScoreProgram::dir_;
std::string ScoreProgram::model_, ScoreProgram::source_, ScoreProgram::references_;

// Without --model: the model.bin of a training config's run (--config), else FERRY_MODEL.
TEST_F(ScoreProgram, FindsItsModelThroughATrainingConfigOrFerryModel) {
  const ProcessResult expected = score("--src " + source_, references_);
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  const std::string base = program_path("score") + " --threads 1 --src " + source_;
  const std::string config = dir_->write("run.yaml", "training: {model_dir: " + dir_->path("run") + "}\n");
  const ProcessResult by_config =
      run_command("env -u FERRY_MODEL " + base + " --config " + config, references_);
  EXPECT_EQ(by_config.exit_code, 0) << by_config.err;
  EXPECT_EQ(by_config.out, expected.out);
  const ProcessResult by_environment = run_command("FERRY_MODEL=" + model_ + " " + base, references_);
  EXPECT_EQ(by_environment.out, expected.out);
  const ProcessResult none = run_command("env -u FERRY_MODEL " + base, references_);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no model: give --model FILE"), std::string::npos) << none.err;
}

TEST_F(ScoreProgram, LogProbabilityTokensAndPerplexityPerLine) {
  const ProcessResult r = score("--src " + source_, references_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 10u);

  // translate --score reads the sources on stdin and the references from a file: the same numbers.
  const std::string refs = dir_->write("refs.txt", references_);
  const ProcessResult translated = run_command(
      program_path("translate") + " --model " + model_ + " --threads 1 --score --ref-file " + refs,
      joined(multi30k_lines("test_2016_flickr.de.gz", 10)));
  ASSERT_EQ(translated.exit_code, 0) << translated.err;
  const std::vector<std::string> alone = lines_of(translated.out);
  ASSERT_EQ(alone.size(), 10u);

  double log_prob_sum = 0, token_sum = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> f = tab_fields(lines[i]);
    ASSERT_EQ(f.size(), 3u) << lines[i];
    const double log_prob = std::stod(f[0]), tokens = std::stod(f[1]), ppl = std::stod(f[2]);
    EXPECT_EQ(f[0], alone[i]) << "line " << i + 1;
    EXPECT_LT(log_prob, 0.0);
    EXPECT_GE(tokens, 2.0) << "a reference's subwords and </s>";
    EXPECT_NEAR(ppl, std::exp(-log_prob / tokens), 1e-4 * ppl + 1e-4);
    log_prob_sum += log_prob;
    token_sum += tokens;
  }
  const std::string marker = "corpus perplexity ";
  const size_t at = r.err.find(marker);
  ASSERT_NE(at, std::string::npos) << r.err;
  EXPECT_NEAR(std::stod(r.err.substr(at + marker.size())), std::exp(-log_prob_sum / token_sum),
              1e-3 * std::exp(-log_prob_sum / token_sum));
}

TEST_F(ScoreProgram, JsonObjectsCarryTheSameNumbers) {
  const ProcessResult plain = score("--src " + source_, references_);
  const ProcessResult json = score("--src " + source_ + " --json", references_);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::vector<std::string> plain_lines = lines_of(plain.out), json_lines = lines_of(json.out);
  ASSERT_EQ(json_lines.size(), plain_lines.size());
  for (size_t i = 0; i < json_lines.size(); ++i) {
    const std::vector<std::string> f = tab_fields(plain_lines[i]);
    EXPECT_EQ(json_lines[i], "{\"log_prob\": " + f[0] + ", \"tokens\": " + f[1] + ", \"ppl\": " + f[2] + "}");
  }
}

TEST_F(ScoreProgram, HostileLinesStillGetOneLineEach) {
  std::string overlong;
  while (overlong.size() < 20000) overlong += "a dog runs through the tall grass . ";
  const std::vector<std::string> references = {"", "\xff\xfe broken", overlong, "A dog."};
  const std::string source = dir_->write("hostile.de", joined({"Ein Hund.", "", "\xc3 kaputt", overlong}));
  const ProcessResult r = score("--src " + source, joined(references));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), references.size());
  EXPECT_EQ(tab_fields(lines[0])[1], "1") << "an empty reference is </s> alone";
}

TEST_F(ScoreProgram, BadArgumentsAndLineCountsExitTwoWritingNothing) {
  const ProcessResult mismatched = score("--src " + source_, "one\ntwo\n");
  EXPECT_EQ(mismatched.exit_code, 2);
  EXPECT_TRUE(mismatched.out.empty()) << mismatched.out;
  EXPECT_NE(mismatched.err.find("10 source lines in " + source_ + " but 2 reference lines in standard input"),
            std::string::npos)
      << mismatched.err;
  const ProcessResult no_source = score("", references_);
  EXPECT_EQ(no_source.exit_code, 2);
  EXPECT_NE(no_source.err.find("--src FILE is required"), std::string::npos) << no_source.err;
  const ProcessResult missing = score("--src " + dir_->path("absent.txt"), references_);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("absent.txt"), std::string::npos) << missing.err;
  EXPECT_TRUE(missing.out.empty());
}

}  // namespace
}  // namespace ferry
