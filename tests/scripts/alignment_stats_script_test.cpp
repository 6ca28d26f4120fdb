// scripts/alignment-stats.sh: its figures on hand-made alignments, and a tiny trained model's translations
// read end to end.
#include <gtest/gtest.h>

#include <string>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace ferry {
namespace {

std::string script() { return source_dir() + "/scripts/alignment-stats.sh"; }

TEST(AlignmentStatsScript, CorrelationAndSharesOfHandMadeAlignments) {
  // Sentence 1 moves along the source (positions 1, 2, 3: correlation 1); sentence 2 goes to </s> and stays
  // (1, 3, 3, 3: correlation 3 / sqrt(15) = 0.775). Of the 5 words after the first, 4 are on </s>. The
  // one-word line is left out.
  const std::string input =
      "a b c ||| 0.9,0.05,0.05 0.1,0.8,0.1 0.1,0.1,0.8\n"
      "x y z ||| 0.9,0.05,0.05 0.1,0.1,0.8 0.0,0.1,0.9 0.2,0.2,0.6\n"
      "short ||| 1.0\n";
  const ProcessResult r = run_command(script(), input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sentences 2  alignment correlation 0.887  on </s> 80.0%  on the first 0.0%\n");

  const ProcessResult none = run_command(script(), "a b ||| 1.0,0.0 0.0,1.0\nplain text\n");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no sentence of three or more target words"), std::string::npos) << none.err;
}

TEST(AlignmentStatsScript, ReadsATrainedModelsTranslations) {
  const TempDir dir;
  const std::string model = train_tiny_model(dir);
  std::string input;
  for (const std::string& line : multi30k_lines("val.de.gz", 30)) input += line + "\n";
  const ProcessResult r = run_command(program_path("translate") + " --model " + model +
                                          " --threads 1 --alignments soft 2>/dev/null | " + script(),
                                      input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("sentences ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("alignment correlation"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ferry
