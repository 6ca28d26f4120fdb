// build/bin/train on a language model (configs/lm-en.yaml made tiny): it trains, validates by perplexity
// alone, writes model.bin, which translate refuses; build/bin/score scores text with it, each line's
// log-probability the one the whole-sentence forward pass gives independently; build/bin/generate samples
// texts from it, the same for a seed. Trained on a stream (training.bptt), its validation reads a stream too.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "data/stream_batches.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/model_case.h"
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

  // score: one line out per line in, the step-by-step log-probabilities summed as the teacher-forced forward
  // pass over the whole sentence gives them.
  const std::vector<std::string> text = multi30k_lines("test_2016_flickr.en.gz", 6);
  std::string input;
  for (const std::string& line : text) input += line + "\n";
  const ProcessResult scored =
      run_command(program_path("score") + " --model " + model + " --threads 1", input);
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_NE(scored.err.find("corpus perplexity"), std::string::npos) << scored.err;
  std::istringstream lines(scored.out);
  const LoadedModel loaded = load_model(model);
  for (const std::string& sentence : text) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << "no score for: " << sentence;
    const double log_prob = std::stod(line.substr(0, line.find('\t')));
    const TokenIds ids = loaded.tgt_vocab.encode(sentence);
    const LossSum loss = loaded.network->forward(batch_of({TokenIds()}, {ids}), false);
    EXPECT_EQ(line.substr(line.find('\t') + 1, line.rfind('\t') - line.find('\t') - 1),
              std::to_string(ids.size() + 1));
    EXPECT_NEAR(log_prob, -loss.loss, 1e-4 * std::abs(loss.loss) + 1e-5) << sentence;
  }
  EXPECT_FALSE(std::getline(lines, input)) << "more scores than lines";

  const ProcessResult with_source = run_command(
      program_path("score") + " --model " + model + " --threads 1 --src " + dir.write("src.txt", input),
      input);
  EXPECT_EQ(with_source.exit_code, 2);
  EXPECT_NE(with_source.err.find("is a language model: it scores text alone"), std::string::npos)
      << with_source.err;

  // generate: N lines, the same for a seed, each continuing the prefix.
  const std::string generate =
      program_path("generate") + " --model " + model + " --threads 1 --max-length 12 ";
  const ProcessResult drawn = run_command(generate + "--n 5 --seed 3 --prefix 'A dog'");
  ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
  std::istringstream texts(drawn.out);
  int count = 0;
  for (std::string line; std::getline(texts, line); ++count) EXPECT_EQ(line.rfind("A dog", 0), 0u) << line;
  EXPECT_EQ(count, 5);
  EXPECT_EQ(run_command(generate + "--n 5 --seed 3 --prefix 'A dog' --batch-size 2").out, drawn.out);
  EXPECT_NE(run_command(generate + "--n 5 --seed 4 --prefix 'A dog'").out, drawn.out);
  const ProcessResult bad = run_command(generate + "--top-p 0");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--top-p must be in (0, 1], not 0"), std::string::npos) << bad.err;
}

// training.bptt: the text as one stream of 500 / 10 = 50 rows, the state carried from batch to batch;
// validation reads the validation text as a stream too, and its perplexity is the one the model's own
// stream forward gives.
TEST(LanguageModelProgram, TrainsOnAStreamWithTruncatedBackpropagation) {
  const TempDir dir;
  const ProcessResult r =
      run_command(tiny_lm_train_command(dir, "--set training.max_steps=30 --set training.bptt=10"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("(a stream of 50 rows x 10 steps per batch)"), std::string::npos) << r.err;
  std::vector<double> ppl;
  for (const MetricsLine& line : metrics_lines(read_file(dir.path("run/metrics.jsonl")))) {
    if (is_validation(line)) ppl.push_back(std::stod(line.at("valid_ppl")));
  }
  ASSERT_EQ(ppl.size(), 3u);
  EXPECT_LT(ppl.back(), ppl.front()) << "perplexity did not fall in 30 steps";
  ASSERT_LT(ppl.back(), ppl[1]) << "the last validation's model is not model.bin";

  const LoadedModel loaded = load_model(dir.path("run/model.bin"));
  std::vector<TokenIds> valid;
  for (const std::string& line : multi30k_lines("val.en.gz", 20))
    valid.push_back(loaded.tgt_vocab.encode(line));
  const StreamBatches stream(valid, 50, 10);
  DecoderState carried;
  double loss = 0;
  int64_t tokens = 0;
  for (int64_t k = 0; k < stream.size(); ++k) {
    const LossSum sum = loaded.network->forward(stream.batch(k), false, 0.0f, &carried);
    loss += sum.loss;
    tokens += sum.tokens;
  }
  EXPECT_NEAR(std::exp(loss / static_cast<double>(tokens)), ppl.back(), 1e-3 * ppl.back());
}

// bf16 trains a language model too, on sentences and on a stream (whose carried cell state stays f32).
TEST(LanguageModelProgram, TrainsInBf16OnSentencesAndOnAStream) {
  for (const std::string bptt : {"0", "10"}) {
    const TempDir dir;
    const ProcessResult r = run_command(tiny_lm_train_command(
        dir, "--set training.max_steps=30 --set model.precision=bf16 --set training.bptt=" + bptt));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<double> ppl;
    for (const MetricsLine& line : metrics_lines(read_file(dir.path("run/metrics.jsonl")))) {
      if (is_validation(line)) ppl.push_back(std::stod(line.at("valid_ppl")));
    }
    ASSERT_EQ(ppl.size(), 3u) << "bptt " << bptt;
    EXPECT_LT(ppl.back(), ppl.front()) << "perplexity did not fall in 30 steps, bptt " << bptt;
    EXPECT_EQ(load_model(dir.path("run/model.bin")).config.precision, Precision::kBf16);
  }
}

}  // namespace
}  // namespace ferry
