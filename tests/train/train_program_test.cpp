// End-to-end runs of build/bin/train on real (small) data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "model/model_file.h"
#include "support/checkpoint_poison.h"
#include "support/corpus.h"
#include "support/metrics_lines.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "train/checkpoint.h"
#include "util/file_io.h"

namespace ferry {
namespace {

TEST(TrainProgram, DryRunPrintsCorpusStatistics) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(dir, "--dry-run"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(500 read, 0 empty, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("valid pairs:       1014"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("batches per epoch:"), std::string::npos) << r.out;
  std::smatch largest;
  ASSERT_TRUE(std::regex_search(r.out, largest, std::regex("largest batches: +([0-9]+) pairs; ([0-9]+) source and "
                                                           "([0-9]+) target positions")))
      << r.out;
  const std::string budget_key = "batch_tokens: ";
  const std::string config = read_file(std::string(FERRY_SOURCE_DIR) + "/configs/tiny.yaml");
  const int64_t budget = std::stoll(config.substr(config.find(budget_key) + budget_key.size()));
  EXPECT_LE(std::stoll(largest[3]), budget) << "target positions are held to the token budget";
  EXPECT_GT(std::stoll(largest[2]), 0);
  EXPECT_TRUE(file_exists(dir.path("spm.de.model")));
  EXPECT_TRUE(file_exists(dir.path("spm.en.model")));
}

TEST(TrainProgram, ConfigErrorExitsTwoBeforeAnyFileIsWritten) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(dir, "--set model.encoder.layer=3"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("train: error: unknown key 'model.encoder.layer' at --set model.encoder.layer=3; did you "
                       "mean 'model.encoder.layers'?"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(dir.list().empty());
}

TEST(TrainProgram, TrainsOnEitherLstmKernelAndRefusesAnUnknownOne) {
  TempDir dir;
  const ProcessResult bad = run_command("FERRY_RNN_KERNEL=fast " + tiny_train_command(dir, ""));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("FERRY_RNN_KERNEL: unknown RNN training kernel 'fast' (choose primitive or matmul)"),
            std::string::npos)
      << bad.err;
  EXPECT_TRUE(dir.list().empty());
  for (const char* kernel : {"primitive", "matmul"}) {
    TempDir run;
    const ProcessResult r = run_command(std::string("FERRY_RNN_KERNEL=") + kernel + " " +
                                        tiny_train_command(run, "--set training.max_steps=3"));
    EXPECT_EQ(r.exit_code, 0) << kernel << ": " << r.err;
    EXPECT_TRUE(file_exists(run.path("run/checkpoint.bin"))) << kernel;
  }
}

TEST(TrainProgram, BadOptionsAndMissingConfig) {
  ProcessResult r = run_command(program_path("train") + " --no-such-option");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-option"), std::string::npos) << r.err;
  r = run_command(program_path("train"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--config FILE is required"), std::string::npos) << r.err;
  r = run_command(program_path("train") + " --config /nonexistent.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read config file '/nonexistent.yaml'"), std::string::npos) << r.err;
}

TEST(TrainProgram, StrayArgumentsAreRefusedNotIgnored) {
  for (const std::string& arguments :
       {std::string("--describe-config tiny.yaml"), std::string("--describe-config --set a.b=1 c.d=2")}) {
    const ProcessResult r = run_command(program_path("train") + " " + arguments);
    EXPECT_EQ(r.exit_code, 2) << arguments;
    const std::string stray = arguments.substr(arguments.rfind(' ') + 1);
    EXPECT_NE(r.err.find("train: error: unexpected argument '" + stray + "'"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << arguments;
  }
}

TEST(TrainProgram, HelpListsEveryOption) {
  const ProcessResult r = run_command(program_path("train") + " --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--config", "--set", "--dry-run", "--describe-config", "--help"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

double first_and_last_loss(const std::string& metrics, double* last) {
  double first = -1;
  std::istringstream in(metrics);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find("\"loss\": ");
    if (at == std::string::npos) continue;
    const double loss = std::stod(line.substr(at + 8));
    if (first < 0) first = loss;
    *last = loss;
  }
  return first;
}

// The number after `key` in a line of metrics.jsonl.
double json_number(const std::string& line, const std::string& key) {
  const size_t at = line.find("\"" + key + "\": ");
  return at == std::string::npos ? std::nan("") : std::stod(line.substr(at + key.size() + 4));
}

// Trains with early_stopping.metric `metric` (bleu or chrf, both higher-is-better) and checks every
// validation's notes against the metric's values in metrics.jsonl.
void expect_best_model_and_early_stopping_follow(const std::string& metric) {
  TempDir dir;
  // 200 validation pairs and a validation every 10 steps: a dozen validations in a few seconds.
  std::string de, en;
  for (const std::string& line : multi30k_lines("val.de.gz", 200)) de += line + "\n";
  for (const std::string& line : multi30k_lines("val.en.gz", 200)) en += line + "\n";
  const int64_t every = 10, patience = 3;
  const ProcessResult r = run_command(tiny_train_command(
      dir, "--set data.valid.src=" + dir.write("valid.de", de) +
               " --set data.valid.tgt=" + dir.write("valid.en", en) +
               " --set training.threads=1 --set training.validate_every=" + std::to_string(every) +
               " --set training.early_stopping.metric=" + metric +
               " --set training.early_stopping.patience=" + std::to_string(patience)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> results, notes;  // per validation: its metrics line and its log line
  std::istringstream metrics(read_file(dir.path("run/metrics.jsonl"))),
      log(read_file(dir.path("run/train.log")));
  for (std::string line; std::getline(metrics, line);)
    if (line.find("\"valid_" + metric + "\"") != std::string::npos) results.push_back(line);
  for (std::string line; std::getline(log, line);)
    if (line.find("validation at step ") != std::string::npos) notes.push_back(line);
  ASSERT_EQ(results.size(), notes.size());
  ASSERT_GE(results.size(), 4u);
  double best = std::nan(""), last_ppl = std::nan("");
  int64_t without_improvement = 0, ppl_only_improvements = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE(notes[i]);
    const double value = json_number(results[i], "valid_" + metric), ppl = json_number(results[i], "valid_ppl");
    const bool improved = std::isnan(best) || value > best;
    ppl_only_improvements += !improved && ppl < last_ppl;
    const bool periodic = static_cast<int64_t>(json_number(results[i], "step")) % every == 0;
    if (periodic) without_improvement = improved ? 0 : without_improvement + 1;
    // model.bin is rewritten exactly when the metric beats every earlier validation.
    EXPECT_EQ(notes[i].find("model.bin written") != std::string::npos, improved);
    const bool stops = periodic && without_improvement == patience;
    EXPECT_EQ(notes[i].find("stopping") != std::string::npos, stops);
    if (stops) {
      EXPECT_EQ(i + 1, results.size()) << "validations after the stop";
    }
    if (improved) best = value;
    last_ppl = ppl;
  }
  EXPECT_GT(ppl_only_improvements, 0) << "no validation where perplexity alone improved: the run cannot tell "
                                         "the metrics apart";
}

TEST(TrainProgram, BestModelAndEarlyStoppingFollowValidationBleu) { expect_best_model_and_early_stopping_follow("bleu"); }

TEST(TrainProgram, BestModelAndEarlyStoppingFollowValidationChrf) { expect_best_model_and_early_stopping_follow("chrf"); }

TEST(TrainProgram, TrainsTinyModelAndWritesLoadableFiles) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(dir, "--set training.max_epochs=4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("training finished at step"), std::string::npos) << r.err;
  const std::string run = dir.path("run");
  double last = 0;
  const double first = first_and_last_loss(read_file(run + "/metrics.jsonl"), &last);
  ASSERT_GT(first, 0);
  EXPECT_LT(last, first - 0.5) << "loss did not fall";
  const std::string metrics = read_file(run + "/metrics.jsonl");
  const std::vector<std::string> training_keys = {
      "elapsed_sec", "epoch", "grad_norm", "loss", "lr", "ppl", "skipped_steps", "step", "tokens_per_sec"};
  const std::vector<std::string> validation_keys = {"step", "valid_bleu", "valid_chrf", "valid_ppl"};
  size_t training_lines = 0, validation_lines = 0;
  for (const MetricsLine& line : metrics_lines(metrics)) {
    ++(is_validation(line) ? validation_lines : training_lines);
    EXPECT_EQ(keys_of(line), is_validation(line) ? validation_keys : training_keys) << metrics;
    for (const auto& [key, value] : line) {
      EXPECT_NE(value, "null") << key << " in " << metrics;
      EXPECT_GE(std::stod(value), 0) << key << " in " << metrics;
    }
  }
  EXPECT_GT(training_lines, 3u);
  EXPECT_GT(validation_lines, 0u);
  EXPECT_NE(read_file(run + "/train.log").find("validation at step"), std::string::npos);

  const LoadedModel model = load_model(run + "/model.bin");
  EXPECT_EQ(model.config.decoder.hidden, 64);
  EXPECT_EQ(model.src_vocab.vocab_size(), 400);
  const Checkpoint checkpoint = read_checkpoint(run + "/checkpoint.bin");
  EXPECT_GT(checkpoint.progress.step, 0);
  EXPECT_EQ(checkpoint.optimizer.steps, checkpoint.progress.step);
}

TEST(TrainProgram, ProgressBarOnATerminalOnly) {
  TempDir dir;
  const std::string options = small_valid_set(dir, 20) + "--set training.max_steps=";
  // script(1) runs the command on a pseudo-terminal and copies what it shows to its standard output.
  const ProcessResult on_terminal =
      run_command("script -qec '" + tiny_train_command(dir, options + "10") + "' /dev/null");
  ASSERT_EQ(on_terminal.exit_code, 0) << on_terminal.out << on_terminal.err;
  const std::regex bar("\repoch 1 \\[(#*)( *)\\] ([0-9]+)/([0-9]+) batches, step ([0-9]+)");
  int bars = 0;
  for (std::sregex_iterator it(on_terminal.out.begin(), on_terminal.out.end(), bar), end; it != end;
       ++it, ++bars) {
    const std::smatch& m = *it;
    const int64_t done = std::stoll(m[3]), total = std::stoll(m[4]);
    EXPECT_EQ(m[1].length() + m[2].length(), 30) << m[0];
    EXPECT_EQ(m[1].length(), done * 30 / total) << m[0];
    EXPECT_EQ(m[5], m[3]) << m[0];
  }
  EXPECT_EQ(bars, 10) << on_terminal.out;
  const ProcessResult on_file = run_command(tiny_train_command(dir, options + "12"));
  ASSERT_EQ(on_file.exit_code, 0) << on_file.err;
  EXPECT_EQ(on_file.err.find('\r'), std::string::npos) << on_file.err;
  EXPECT_EQ(on_file.err.find(" batches, step "), std::string::npos) << on_file.err;
}

TEST(TrainProgram, ChangedModelIsRefusedOnResumeAndOverwriteStartsAfresh) {
  TempDir dir;
  ASSERT_EQ(run_command(tiny_train_command(dir, "--set training.max_steps=5")).exit_code, 0);
  const ProcessResult r =
      run_command(tiny_train_command(dir, "--set training.max_steps=10 --set model.decoder.hidden=48"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("model.decoder.hidden: 64 -> 48"), std::string::npos) << r.err;
  const ProcessResult fresh = run_command(
      tiny_train_command(dir, "--set training.max_steps=3 --set model.decoder.hidden=48 --overwrite"));
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(read_checkpoint(dir.path("run/checkpoint.bin")).progress.step, 3);
}

TEST(TrainProgram, DamagedCheckpointIsRefused) {
  TempDir dir;
  ASSERT_EQ(run_command(tiny_train_command(dir, "--set training.max_steps=5")).exit_code, 0);
  const std::string path = dir.path("run/checkpoint.bin");
  const std::string bytes = read_file(path);
  write_file_atomic(path, bytes.substr(0, bytes.size() / 2));
  ProcessResult r = run_command(tiny_train_command(dir, "--set training.max_steps=10"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + "' is damaged or truncated"), std::string::npos) << r.err;
  std::string flipped = bytes;
  flipped[bytes.size() / 3] ^= 0x40;
  write_file_atomic(path, flipped);
  r = run_command(tiny_train_command(dir, "--set training.max_steps=10"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("checksum mismatch"), std::string::npos) << r.err;
  write_file_atomic(path, "not a checkpoint");
  r = run_command(tiny_train_command(dir, "--set training.max_steps=10"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a FERRYCKP file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

TEST(TrainProgram, NonFiniteStepsAreSkippedThenStopTheRun) {
  TempDir dir;
  ASSERT_EQ(run_command(tiny_train_command(dir, "--set training.max_steps=2")).exit_code, 0);
  // Poison one parameter of the checkpoint: every later step has a non-finite loss.
  const std::string path = dir.path("run/checkpoint.bin");
  poison_checkpoint_parameter(path, "output/bias", 0);

  const ProcessResult r =
      run_command(tiny_train_command(dir, "--set training.max_steps=50 --set training.max_bad_steps=3"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("non-finite loss, batch skipped (1 in a row)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 consecutive steps had a non-finite loss or gradient"), std::string::npos) << r.err;
  // Nothing was written over the checkpoint, and the optimizer never ran.
  const Checkpoint after = read_checkpoint(path);
  EXPECT_EQ(after.progress.step, 2);
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

// With training.ema_decay, model.bin holds the weight average (here written by the run's only validation, at
// its last step), not the weights training ended with; the checkpoint keeps both.
TEST(TrainProgram, ModelFileHoldsTheWeightAverage) {
  TempDir dir;
  const ProcessResult r = run_command(tiny_train_command(
      dir, "--set training.ema_decay=0.95 --set training.max_steps=30 --set training.validate_every=1000" +
               small_valid_set(dir, 20)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Checkpoint checkpoint = read_checkpoint(dir.path("run/checkpoint.bin"));
  const Archive model = Archive::read(dir.path("run/model.bin"), kModelMagic, kModelFormatVersion);
  ASSERT_FALSE(checkpoint.average.empty());
  for (const NamedTensor& average : checkpoint.average) {
    const std::string param = "param/" + average.name.substr(std::strlen(WeightAverage::kPrefix));
    const Tensor saved = model.tensor(param), last = checkpoint.archive.tensor(param);
    ASSERT_EQ(saved.bytes(), average.value.bytes()) << param;
    EXPECT_EQ(std::memcmp(saved.raw(), average.value.raw(), saved.bytes()), 0) << param << " is not the average";
    EXPECT_NE(std::memcmp(saved.raw(), last.raw(), saved.bytes()), 0) << param << " is the last weights";
  }
}

// vocab.joint: one SentencePiece model over both languages; with model.embedding.tie_all, one matrix serves
// both embeddings and the output layer.
TEST(TrainProgram, JointVocabularyWithOneEmbeddingMatrix) {
  TempDir dir;
  const std::string joint = dir.path("spm.joint.model");
  const ProcessResult r = run_command(tiny_train_command(
      dir, "--set vocab.joint=true --set vocab.src.model=" + joint + " --set vocab.tgt.model=" + joint +
               " --set model.embedding.tie_all=true --set model.embedding.src_dim=64"
               " --set model.embedding.tgt_dim=64 --set training.max_steps=30 --set training.validate_every=1000" +
               small_valid_set(dir, 20)));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("joint subwords: training"), std::string::npos) << r.err;
  EXPECT_FALSE(file_exists(dir.path("spm.de.model")));
  const Archive model = Archive::read(dir.path("run/model.bin"), kModelMagic, kModelFormatVersion);
  EXPECT_EQ(model.blob("vocab/src"), model.blob("vocab/tgt"));
  EXPECT_TRUE(model.has("param/encoder/embedding/weight"));
  EXPECT_FALSE(model.has("param/decoder/embedding/weight"));
  EXPECT_FALSE(model.has("param/output/weight"));
  const ProcessResult translated = run_command(
      program_path("translate") + " --threads 1 --model " + dir.path("run/model.bin"), "Ein Hund läuft.\n");
  ASSERT_EQ(translated.exit_code, 0) << translated.err;
  EXPECT_EQ(std::count(translated.out.begin(), translated.out.end(), '\n'), 1) << translated.out;
}

TEST(TrainProgram, TrainsInBf16) {
  TempDir dir;
  const ProcessResult r =
      run_command(tiny_train_command(dir, "--set training.max_epochs=4 --set model.precision=bf16"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  double last = 0;
  const double first = first_and_last_loss(read_file(dir.path("run/metrics.jsonl")), &last);
  ASSERT_GT(first, 0);
  EXPECT_LT(last, first - 0.5) << "loss did not fall";
  EXPECT_EQ(load_model(dir.path("run/model.bin")).config.precision, Precision::kBf16);
}

}  // namespace
}  // namespace ferry
