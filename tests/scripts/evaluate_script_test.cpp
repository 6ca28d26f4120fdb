// scripts/evaluate.sh end to end: a tiny trained model, a 20-line test set.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

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

// A table row split into its cells: | name | sentences | BLEU | chrF | sentences/s |.
std::vector<std::string> cells_of(const std::string& row) {
  std::istringstream in(row);
  std::vector<std::string> cells;
  for (std::string cell; in >> cell;)
    if (cell != "|") cells.push_back(cell);
  return cells;
}

// The number after "<label> = " in evaluate's score lines.
std::string score_after(const std::string& scores, const std::string& label) {
  const size_t at = scores.find(label + " = ");
  if (at == std::string::npos) return "(no " + label + " in: " + scores + ")";
  std::istringstream in(scores.substr(at + label.size() + 3));
  std::string value;
  in >> value;
  return value;
}

// The lines joined by newlines, with or without one after the last.
std::string joined(const std::vector<std::string>& lines, bool final_newline) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return final_newline ? text + "\n" : text;
}

// One model is trained per test process, so this one test covers the rows, their scores and the line count.
TEST_F(EvaluateScript, PrintsARowPerTestSetWithTheScoresOfItsKeptTranslation) {
  TempDir dir;
  const std::vector<std::string> names = {"set_a", "set_b"};
  std::vector<std::string> references;
  std::string pairs;
  for (size_t i = 0; i < names.size(); ++i) {
    const size_t lines = 12 + 8 * i;  // 12 and 20 sentences
    // set_b's files end without a final newline: their last line is a sentence all the same.
    const bool final_newline = i == 0;
    references.push_back(
        dir.write(names[i] + ".en", joined(multi30k_lines("test_2016_flickr.en.gz", lines), final_newline)));
    pairs +=
        " " +
        dir.write(names[i] + ".de", joined(multi30k_lines("test_2016_flickr.de.gz", lines), final_newline)) +
        ":" + references.back();
  }
  const ProcessResult r = run_command(script() + " --keep " + dir.path("kept") + " " + *model_ + pairs +
                                      " -- --beam-size 2 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream out(r.out);
  std::string header, rule, row;
  std::getline(out, header);
  std::getline(out, rule);
  EXPECT_EQ(header, "| test set | sentences | BLEU | chrF | sentences/s |");
  EXPECT_EQ(rule, "|---|---:|---:|---:|---:|");
  size_t rows = 0;
  for (; std::getline(out, row); ++rows) {
    ASSERT_LT(rows, names.size()) << r.out;
    const std::vector<std::string> cells = cells_of(row);
    ASSERT_EQ(cells.size(), 5u) << row;
    EXPECT_EQ(cells[0], names[rows]);
    EXPECT_EQ(cells[1], std::to_string(12 + 8 * rows));
    EXPECT_GT(std::stod(cells[4]), 0.0) << row;
    // The kept translation, scored again by evaluate, gives the row's scores.
    const std::string kept = dir.path("kept/" + names[rows] + ".hyp");
    const ProcessResult scores = run_command(program_path("evaluate") + " --ref " + references[rows] +
                                             " --metrics bleu,chrf --hyp " + kept);
    ASSERT_EQ(scores.exit_code, 0) << scores.err;
    EXPECT_EQ(cells[2], score_after(scores.out, "BLEU")) << row;
    EXPECT_EQ(cells[3], score_after(scores.out, "chrF2")) << row;
    EXPECT_EQ(run_command("wc -l < " + kept).out, cells[1] + "\n");
  }
  EXPECT_EQ(rows, names.size()) << r.out;
}

// Test sets of the same name from different folders get rows and kept files of their own.
TEST_F(EvaluateScript, SameNamedTestSetsKeepApart) {
  TempDir dir;
  std::string pairs;
  for (const std::string folder : {"one", "two"}) {
    const size_t lines = folder == "one" ? 5 : 7;
    const std::string src =
        dir.write(folder + "/test.de", joined(multi30k_lines("test_2016_flickr.de.gz", lines), true));
    const std::string ref =
        dir.write(folder + "/test.en", joined(multi30k_lines("test_2016_flickr.en.gz", lines), true));
    pairs += " " + src + ":" + ref;
  }
  const ProcessResult r =
      run_command(script() + " --keep " + dir.path("kept") + " " + *model_ + pairs + " -- --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| test | 5 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| test-2 | 7 |"), std::string::npos) << r.out;
  EXPECT_EQ(run_command("wc -l < " + dir.path("kept/test.hyp")).out, "5\n");
  EXPECT_EQ(run_command("wc -l < " + dir.path("kept/test-2.hyp")).out, "7\n");
}

// Bad input is found before anything is translated: a placeholder stands in for the model file.
TEST(EvaluateScriptInput, BadInputExitsTwoBeforeTheTable) {
  TempDir dir;
  const std::string model = dir.write("model.bin", "placeholder");
  const std::string src = first_lines(dir, "test_2016_flickr.de.gz", 20);
  const std::string ref = first_lines(dir, "test_2016_flickr.en.gz", 20);
  const std::string short_ref = first_lines(dir, "val.en.gz", 19);
  // Half of a gzip stream: gzip stops with "unexpected end of file".
  run_command("head -c 200 " + multi30k_file("val.de.gz") + " > " + dir.path("cut.de.gz"));
  const struct {
    std::string arguments, message;
  } cases[] = {
      {model + " " + src + ":" + dir.path("missing.en"),
       "reference file '" + dir.path("missing.en") + "' not found"},
      // The first test set is fine: the second's missing source stops the run before any row.
      {model + " " + src + ":" + ref + " " + dir.path("missing.de") + ":" + ref,
       "source file '" + dir.path("missing.de") + "' not found"},
      {model + " " + src + ":" + ref + " " + dir.path("cut.de.gz") + ":" + ref,
       "source file '" + dir.path("cut.de.gz") + "' cannot be read"},
      {model + " " + src + ":" + ref + " " + dir.root() + ":" + ref,
       "source '" + dir.root() + "' is not a file"},
      {model + " " + src + ":" + short_ref,
       "source '" + src + "' has 20 lines but reference '" + short_ref + "' has 19"},
      {dir.path("missing.bin") + " " + src + ":" + ref,
       "model file '" + dir.path("missing.bin") + "' not found"},
      {model + " " + src, "'" + src + "' is not SRC:REF"},
      {"", "no model: give MODEL, or --config FILE"},
      // Options that add to the output lines would be scored as words.
      {model + " " + src + ":" + ref + " -- --beam-size 2 --scores",
       "translate option '--scores' adds to the output lines"},
      {model + " " + src + ":" + ref + " -- --alignments hard",
       "translate option '--alignments' adds to the output lines"},
      // The model itself is opened before the table starts: translate's own message, exit 2.
      {model + " " + src + ":" + ref, "model.bin' is not a FERRYMOD file"},
  };
  for (const auto& c : cases) {
    const ProcessResult r = run_command(script() + " " + c.arguments);
    EXPECT_EQ(r.exit_code, 2) << c.arguments << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << c.arguments;
  }
}

// Without a model argument: the model.bin of --config's run, else FERRY_MODEL's file, as translate finds
// them.
TEST_F(EvaluateScript, FindsTheModelThroughATrainingConfigOrFerryModel) {
  TempDir dir;
  const std::string pair =
      first_lines(dir, "test_2016_flickr.de.gz", 20) + ":" + first_lines(dir, "test_2016_flickr.en.gz", 20);
  const std::string folder = model_->substr(0, model_->rfind('/'));
  const std::string config = dir.write("run.yaml", "training: {model_dir: " + folder + "}\n");
  const auto scores = [](const std::string& table) {
    const size_t at = table.find("| test_2016_flickr |");
    if (at == std::string::npos) return std::vector<std::string>();
    std::vector<std::string> cells = cells_of(table.substr(at, table.find('\n', at) - at));
    return std::vector<std::string>(cells.begin(), cells.begin() + std::min<size_t>(cells.size(), 4));
  };
  const ProcessResult given = run_command(script() + " " + *model_ + " " + pair + " -- --threads 1");
  ASSERT_EQ(given.exit_code, 0) << given.err;
  const ProcessResult by_config =
      run_command("env -u FERRY_MODEL " + script() + " --config " + config + " " + pair + " -- --threads 1");
  ASSERT_EQ(by_config.exit_code, 0) << by_config.err;
  const ProcessResult by_environment =
      run_command("FERRY_MODEL=" + *model_ + " " + script() + " " + pair + " -- --threads 1");
  ASSERT_EQ(by_environment.exit_code, 0) << by_environment.err;
  ASSERT_EQ(scores(given.out).size(), 4u) << given.out;
  EXPECT_EQ(scores(by_config.out), scores(given.out));
  EXPECT_EQ(scores(by_environment.out), scores(given.out));
}

// Two model files make an ensemble: the model with itself scores as the model alone.
TEST_F(EvaluateScript, SeveralModelsAreTranslatedAsAnEnsemble) {
  TempDir dir;
  const std::string pair = first_lines(dir, "test_2016_flickr.de.gz", 20) + ":" +
                           first_lines(dir, "test_2016_flickr.en.gz", 20);
  const ProcessResult alone = run_command(script() + " " + *model_ + " " + pair + " -- --threads 1");
  const ProcessResult twice =
      run_command(script() + " " + *model_ + " " + *model_ + " " + pair + " -- --threads 1");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  ASSERT_EQ(twice.exit_code, 0) << twice.err;
  const auto row = [](const std::string& table) {
    const size_t at = table.find("| test_2016_flickr |");
    return at == std::string::npos ? std::vector<std::string>() : cells_of(table.substr(at, table.find('\n', at) - at));
  };
  const std::vector<std::string> a = row(alone.out), b = row(twice.out);
  ASSERT_EQ(a.size(), 5u) << alone.out;
  ASSERT_EQ(b.size(), 5u) << twice.out;
  EXPECT_EQ(a[2], b[2]) << "BLEU";
  EXPECT_EQ(a[3], b[3]) << "chrF";
}

TEST(EvaluateScriptInput, NoScoreForATranslationThatLostLines) {
  TempDir dir;
  const std::string model = dir.write("model.bin", "placeholder");
  const std::string src = first_lines(dir, "test_2016_flickr.de.gz", 20);
  const std::string ref = first_lines(dir, "test_2016_flickr.en.gz", 20);
  // A stand-in translate that drops the last line.
  dir.write("bin/translate", "#!/bin/sh\nhead -n 19\n");
  run_command("chmod +x " + dir.path("bin/translate") + " && ln -s " + std::string(FERRY_BIN_DIR) +
              "/evaluate " + dir.path("bin/evaluate"));
  const ProcessResult r = run_command("FERRY_BIN_DIR=" + dir.path("bin") + " " + source_dir() +
                                      "/scripts/evaluate.sh " + model + " " + src + ":" + ref);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("has 19 lines for 20 source lines; no score"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("| test_2016_flickr |"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ferry
