// build/bin/train on a language model (configs/lm-en.yaml made tiny): it trains, validates by perplexity
// alone, writes model.bin; translate and score refuse the model, naming what it is.
#include <gtest/gtest.h>

#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "util/file_io.h"

namespace ferry {
namespace {

TEST(LanguageModelProgram, TrainsValidatesByPerplexityAndIsNoTranslationModel) {
  const TempDir dir;
  const ProcessResult r = run_command(tiny_lm_train_command(dir, "--set training.max_steps=30"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("valid ppl"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("valid bleu"), std::string::npos) << r.err;
  const std::string model = dir.path("run/model.bin");
  ASSERT_TRUE(file_exists(model));
  int validations = 0;
  double first_ppl = 0, last_ppl = 0;
  for (const MetricsLine& line : metrics_lines(read_file(dir.path("run/metrics.jsonl")))) {
    if (!is_validation(line)) continue;
    EXPECT_EQ(line.count("valid_bleu"), 0u);
    last_ppl = std::stod(line.at("valid_ppl"));
    if (validations++ == 0) first_ppl = last_ppl;
  }
  EXPECT_EQ(validations, 3);
  EXPECT_LT(last_ppl, first_ppl) << "perplexity did not fall in 30 steps";

  const ProcessResult translated =
      run_command(program_path("translate") + " --model " + model + " --threads 1", "A dog.\n");
  EXPECT_EQ(translated.exit_code, 2);
  EXPECT_NE(translated.err.find("is a language model (model.type lm)"), std::string::npos) << translated.err;
  EXPECT_TRUE(translated.out.empty());
}

}  // namespace
}  // namespace ferry
