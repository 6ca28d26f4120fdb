// End-to-end: the evaluate program run on small files the test writes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <yaml-cpp/yaml.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "eval/chrf.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

namespace ferry {
namespace {

struct ProgramRun {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs evaluate with `arguments`, standard input from `input`, and collects its exit status and output.
ProgramRun run_evaluate(const TempDir& dir, const std::string& arguments, const std::string& input) {
  const std::string command = std::string(FERRY_BIN_DIR) + "/evaluate " + arguments + " < '" + input +
                              "' > '" + dir.path("stdout") + "' 2> '" + dir.path("stderr") + "'";
  const int raw = std::system(command.c_str());
  ProgramRun run;
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.out = read_file(dir.path("stdout"));
  run.err = read_file(dir.path("stderr"));
  return run;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class EvaluateProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    hyp_ = dir_.write("hyp.txt", "the cat sat on the\n\n");
    ref_ = dir_.write("ref.txt", "the cat sat on the mat today\nsomething\n");
  }

  TempDir dir_;
  std::string hyp_, ref_;
};

TEST_F(EvaluateProgram, PrintsBleuAndChrfLinesByDefault) {
  const ProgramRun run = run_evaluate(dir_, "--ref '" + ref_ + "'", hyp_);
  ASSERT_EQ(run.status, 0) << run.err;
  // BLEU: 5 hypothesis tokens, all n-grams matching; references 7 + 1 tokens: BP = exp(1 - 8/5).
  // chrF: line 1's hypothesis without spaces, "thecatsatonthe" (14 characters), is a prefix of its reference
  // "thecatsatonthemattoday" (22), so every hypothesis n-gram matches: 15 - n of order n, against 23 - n in
  // the reference. Line 2 adds only the 10 - n reference n-grams of "something". Precision is 1 in every
  // order and recall (15 - n) / (33 - 2n).
  char bleu_line[128];
  std::snprintf(bleu_line, sizeof bleu_line,
                "BLEU = %.2f 100.0/100.0/100.0/100.0 (BP = %.3f ratio = 0.625 hyp_len = 5 ref_len = 8)\n",
                100.0 * std::exp(1.0 - 8.0 / 5.0), std::exp(1.0 - 8.0 / 5.0));
  double recall = 0.0;
  for (int n = 1; n <= 6; ++n) recall += (15.0 - n) / (33.0 - 2 * n);
  recall /= 6;
  char chrf_line[64];
  std::snprintf(chrf_line, sizeof chrf_line, "chrF2 = %.2f\n", 100.0 * 5.0 * recall / (4.0 + recall));
  EXPECT_EQ(run.out, std::string(bleu_line) + chrf_line);
  EXPECT_EQ(run.err, "");
}

TEST_F(EvaluateProgram, JsonHasTheRequestedMetricsAndDetails) {
  const ProgramRun run = run_evaluate(dir_, "--ref '" + ref_ + "' --metrics bleu,chrf,chrf++ --json", hyp_);
  ASSERT_EQ(run.status, 0) << run.err;
  const YAML::Node json = YAML::Load(run.out);
  EXPECT_EQ(json["sentences"].as<int>(), 2);
  EXPECT_EQ(json["references"].as<int>(), 1);
  for (const char* key : {"score", "precisions", "bp", "ratio", "hyp_len", "ref_len", "line"}) {
    EXPECT_TRUE(json["bleu"][key]) << key;
  }
  EXPECT_EQ(json["bleu"]["hyp_len"].as<int>(), 5);
  EXPECT_EQ(json["bleu"]["ref_len"].as<int>(), 8);
  EXPECT_EQ(json["bleu"]["precisions"].size(), 4u);
  EXPECT_TRUE(json["chrf"]["score"]);
  EXPECT_EQ(json["chrf++"]["line"].as<std::string>().rfind("chrF2++ = ", 0), 0u);
  const ProgramRun default_metrics = run_evaluate(dir_, "--ref '" + ref_ + "' --json", hyp_);
  EXPECT_FALSE(YAML::Load(default_metrics.out)["chrf++"]);
}

TEST_F(EvaluateProgram, SeveralReferencesPlainAndGzip) {
  const std::string zipped = dir_.path("ref2.gz");
  gzFile out = gzopen(zipped.c_str(), "wb");
  gzputs(out, "the cat sat on the\n\n");  // line 1 matches exactly; line 2's second reference is empty
  gzclose(out);
  const ProgramRun run = run_evaluate(dir_, "-r '" + ref_ + "' -r '" + zipped + "' -m bleu", hyp_);
  ASSERT_EQ(run.status, 0) << run.err;
  // Closest reference lengths: 5 for line 1, and for line 2's empty hypothesis the empty reference's 0.
  EXPECT_TRUE(contains(run.out, "hyp_len = 5 ref_len = 5)")) << run.out;
}

TEST_F(EvaluateProgram, MismatchedLineCountsExitWithStatusTwo) {
  const std::string short_ref = dir_.write("short.txt", "only one line\n");
  const ProgramRun run = run_evaluate(dir_, "--ref '" + short_ref + "'", hyp_);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(contains(
      run.err,
      "line counts differ: 2 hypotheses on standard input but 1 reference lines in '" + short_ref + "'"))
      << run.err;

  const ProgramRun from_file = run_evaluate(dir_, "--ref '" + short_ref + "' --hyp '" + hyp_ + "'", hyp_);
  EXPECT_EQ(from_file.status, 2);
  EXPECT_TRUE(contains(from_file.err, "2 hypotheses in '" + hyp_ + "'")) << from_file.err;
}

TEST_F(EvaluateProgram, MissingFileExitsWithStatusTwo) {
  const std::string missing = dir_.path("no-such-ref.txt");
  const ProgramRun run = run_evaluate(dir_, "--ref '" + missing + "'", hyp_);
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.err, "evaluate: error: cannot open '" + missing + "'")) << run.err;
}

TEST_F(EvaluateProgram, BadOptionsExitWithStatusTwo) {
  const ProgramRun unknown_metric = run_evaluate(dir_, "--ref '" + ref_ + "' --metrics bleu,ter", hyp_);
  EXPECT_EQ(unknown_metric.status, 2);
  EXPECT_TRUE(contains(unknown_metric.err, "unknown metric 'ter'")) << unknown_metric.err;
  const ProgramRun no_reference = run_evaluate(dir_, "", hyp_);
  EXPECT_EQ(no_reference.status, 2);
  EXPECT_TRUE(contains(no_reference.err, "--ref")) << no_reference.err;
  EXPECT_EQ(run_evaluate(dir_, "--no-such-option", hyp_).status, 2);
}

TEST_F(EvaluateProgram, AHypothesisFileWithoutHypIsRefusedNotIgnored) {
  const ProgramRun run = run_evaluate(dir_, "--ref '" + ref_ + "' '" + hyp_ + "'", hyp_);
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.err, "evaluate: error: unexpected argument '" + hyp_ +
                                    "' (input is read from standard input; see --help)"))
      << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(EvaluateProgram, HelpListsEveryOptionWithItsDefault) {
  const ProgramRun run = run_evaluate(dir_, "--help", hyp_);
  EXPECT_EQ(run.status, 0);
  for (const char* part :
       {"--ref", "--hyp", "(=-)", "--metrics", "(=bleu,chrf)", "--json", "default: off", "--help"}) {
    EXPECT_TRUE(contains(run.out, part)) << part << " not in:\n" << run.out;
  }
}

TEST_F(EvaluateProgram, InvalidUtf8IsRepairedWithAWarning) {
  const std::string bad_hyp = dir_.write("bad.txt", "the cat sat on the\n\xFF\xFE\n");
  const ProgramRun run = run_evaluate(dir_, "--ref '" + ref_ + "' -m chrf", bad_hyp);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(
      run.err,
      "warning: invalid UTF-8 replaced by U+FFFD on 1 line(s) on standard input, the first being line 2"))
      << run.err;
  // The two bytes become two U+FFFD, which match nothing: same as the library's score for that text.
  const ChrfScore expected = corpus_chrf({"the cat sat on the", "\uFFFD\uFFFD"},
                                         {{"the cat sat on the mat today", "something"}}, chrf_options());
  EXPECT_EQ(run.out, expected.format() + "\n");
}

}  // namespace
}  // namespace ferry
