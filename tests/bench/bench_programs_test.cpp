// The benchmark programs run end to end at small sizes (the tiny model and config, a few lines of Multi30k):
// each prints its table and exits 0, and bad input exits 2 naming what is wrong. (Their figures are measured
// by running them on a quiet machine, not here.)
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

// The lines of `text` that start with `prefix` after any leading spaces.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, prefix.size(), prefix) == 0) lines.push_back(line);
  }
  return lines;
}

// The numbers of a whitespace-separated line, words that are not numbers skipped ("12.5%" reads as 12.5).
std::vector<double> numbers_of(const std::string& line) {
  std::vector<double> numbers;
  std::istringstream in(line);
  for (std::string word; in >> word;) {
    try {
      size_t used = 0;
      const double value = std::stod(word, &used);
      if (used > 0) numbers.push_back(value);
    } catch (const std::exception&) {
    }
  }
  return numbers;
}

TEST(BenchPrograms, StepProductsPrintsEveryRowCountWithPositiveSpeeds) {
  const ProcessResult r = run_command(program_path("bench_step_products") +
                                      " --in 32 --out 100 --copies 2 --runs 1 --repeats 2 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{M, 32} x {32, 100}"), std::string::npos) << r.out;
  const std::vector<int> rows = {1, 4, 8, 16, 24, 32, 64, 160};
  for (const int m : rows) {
    const std::vector<std::string> lines = lines_starting(r.out, std::to_string(m) + " ");
    ASSERT_EQ(lines.size(), 1u) << "row count " << m << " in:\n" << r.out;
    const std::vector<double> numbers = numbers_of(lines.front());
    ASSERT_EQ(numbers.size(), 5u) << lines.front();  // M, warm, its share, from memory, its share
    for (size_t i = 1; i < numbers.size(); ++i) EXPECT_GT(numbers[i], 0.0) << lines.front();
  }
}

TEST(BenchPrograms, StepProductsRefusesNoCopiesWithExitStatus2) {
  const ProcessResult r = run_command(program_path("bench_step_products") + " --copies 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--copies"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(BenchPrograms, RnnLayerTimesEachLayerOnBothKernels) {
  const ProcessResult r = run_command(program_path("bench_rnn_layer") +
                                      " --steps 2 --batch 2 --runs 1 --repeats 1 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string layer : {"encoder layer 1", "encoder layer 2", "decoder layer 1", "decoder layer 2"}) {
    const std::vector<std::string> lines = lines_starting(r.out, layer);
    ASSERT_EQ(lines.size(), 2u) << layer << " in:\n" << r.out;  // the RNN primitive and the matmul kernel
    for (const std::string& line : lines) {
      const std::vector<double> numbers = numbers_of(line.substr(layer.size()));
      ASSERT_EQ(numbers.size(), 3u) << line;  // ms per pass, GFLOP/s, share of the peak
      for (const double n : numbers) EXPECT_GT(n, 0.0) << line;
    }
  }
}

// Lines of `text` that contain `piece`.
std::vector<std::string> lines_with(const std::string& text, const std::string& piece) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(piece) != std::string::npos) lines.push_back(line);
  return lines;
}

TEST(BenchPrograms, TranslateReportsEverySearchTheStepsAndTheProgram) {
  const TempDir dir;
  const std::string model = train_tiny_model(dir);
  std::string source;
  for (const std::string& line : multi30k_lines("test_2016_flickr.de.gz", 20)) source += line + "\n";
  const std::string source_path = dir.write("source.de", source);
  const ProcessResult r = run_command(program_path("bench_translate") + " --model " + model + " --source " +
                                      source_path + " --runs 1 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("20 sentences"), std::string::npos) << r.out;
  for (const std::string search : {"greedy   1 ", "greedy   32 ", "beam 5   1 ", "beam 5   32 "}) {
    const std::vector<std::string> lines = lines_starting(r.out, search);
    ASSERT_EQ(lines.size(), 1u) << search << " in:\n" << r.out;
    const std::vector<double> numbers = numbers_of(lines.front().substr(search.size()));
    ASSERT_FALSE(numbers.empty()) << lines.front();
    EXPECT_GT(numbers.front(), 0.0) << lines.front();  // sentences/s
  }
  EXPECT_EQ(lines_with(r.out, "decoder step, 160 rows (32 sentences, beam 5)").size(), 1u) << r.out;
  EXPECT_EQ(lines_with(r.out, "decoder step, 32 rows (32 sentences, greedy)").size(), 1u) << r.out;
  EXPECT_EQ(lines_with(r.out, "translate program, beam 5, batch 32: first output line after").size(), 1u) << r.out;
}

TEST(BenchPrograms, TranslateRefusesASourceWithoutSentences) {
  const TempDir dir;
  const std::string model = train_tiny_model(dir);
  const std::string empty = dir.write("empty.de", "");
  const ProcessResult r =
      run_command(program_path("bench_translate") + " --model " + model + " --source " + empty + " --runs 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("empty.de: no sentences to translate"), std::string::npos) << r.err;
}

TEST(BenchPrograms, TrainStepReportsEveryPartOfTheTinyConfig) {
  const TempDir dir;
  const ProcessResult r = run_command(program_path("bench_train_step") + tiny_config_options(dir.root()) +
                                      "--steps 2 --warmup 1 --runs 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_starting(r.out, "training: ").size(), 1u) << r.out;
  for (const std::string part : {"encoder", "decoder RNN", "attention+combine", "output+loss", "whole step"}) {
    const std::vector<std::string> lines = lines_starting(r.out, part + " ");
    ASSERT_EQ(lines.size(), 1u) << part << " in:\n" << r.out;
    const std::vector<double> numbers = numbers_of(lines.front().substr(part.size()));
    ASSERT_EQ(numbers.size(), 4u) << lines.front();  // ms per step, GFLOP, GFLOP/s, share of the peak
    for (const double n : numbers) EXPECT_GT(n, 0.0) << lines.front();
  }
}

TEST(BenchPrograms, DataReportsTheCorpusRates) {
  const std::string data = std::filesystem::path(multi30k_file("train.de.gz")).parent_path().string();
  const ProcessResult r = run_command(program_path("bench_data") + " --data " + data + " --runs 1 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string rate : {"pairs/s (total): ", "target tokens/s (total): "}) {
    const std::vector<std::string> lines = lines_starting(r.out, rate);
    ASSERT_EQ(lines.size(), 1u) << rate << " in:\n" << r.out;
    const std::vector<double> numbers = numbers_of(lines.front().substr(rate.size()));
    ASSERT_EQ(numbers.size(), 1u) << lines.front();
    EXPECT_GT(numbers.front(), 0.0) << lines.front();
  }
}

}  // namespace
}  // namespace ferry
