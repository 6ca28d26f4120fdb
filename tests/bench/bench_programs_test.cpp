// The benchmark programs run end to end at small sizes: each prints its table and exits 0, and a bad option
// exits 2 naming the option. (Their figures are measured by running them on a quiet machine, not here.)
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/corpus.h"
#include "support/process.h"

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

}  // namespace
}  // namespace ferry
