// scripts/load-test.sh end to end: a tiny trained model served on the loopback address, three concurrency
// levels, every request answered.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

std::string script() { return source_dir() + "/scripts/load-test.sh"; }

TEST(LoadTestScript, PrintsThroughputAndLatencyPerConcurrencyLevel) {
  const TempDir dir;
  const std::string model = train_tiny_model(dir);
  const std::string input = dir.write("input.de", "Ein Hund läuft.\nZwei Männer spielen Fußball.\nEine Frau liest.\n");
  const ProcessResult r = run_command(script() + " --model " + model + " --input " + input +
                                      " --requests 12 --duration 60 --lines-per-request 2 --beam-size 2" +
                                      " -- --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_NE(header.find("sentences/s"), std::string::npos) << r.out;
  const std::regex row(R"(\s*(\d+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+))");
  for (const int clients : {1, 8, 32}) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, row)) << line;
    EXPECT_EQ(std::stoi(m[1]), clients);
    EXPECT_EQ(std::stoi(m[2]), 12);  // every request answered
    EXPECT_EQ(std::stoi(m[3]), 0);
    EXPECT_GT(std::stod(m[4]), 0.0);
    EXPECT_LE(std::stod(m[5]), std::stod(m[6]));  // p50 <= p99
  }
}

TEST(LoadTestScript, NeedsAModel) {
  const ProcessResult r = run_command(script());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model FILE is required"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ferry
