// End-to-end runs of build/bin/translate on a tiny model trained by the test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include "core/archive.h"
#include "core/context.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "util/file_io.h"

namespace ferry {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

// The fields of an output line separated by " ||| ".
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  size_t at = 0;
  for (size_t next; (next = line.find(" ||| ", at)) != std::string::npos; at = next + 5)
    out.push_back(line.substr(at, next - at));
  out.push_back(line.substr(at));
  return out;
}

// The lines as input text, each ending in a newline.
std::string as_input(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// `count` lines of "translation<TAB>score" each, the same translations and scores within 1e-4.
void expect_same_scored_lines(const std::vector<std::string>& a, const std::vector<std::string>& b, size_t count) {
  ASSERT_EQ(a.size(), count);
  ASSERT_EQ(b.size(), count);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(fields(a[i])[0], fields(b[i])[0]) << "line " << i + 1;
    EXPECT_NEAR(std::stod(fields(a[i])[1]), std::stod(fields(b[i])[1]), 1e-4) << "line " << i + 1;
  }
}

std::vector<std::string> test_lines(size_t count) { return multi30k_lines("test_2016_flickr.de.gz", count); }

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

class TranslateProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    model_ = train_tiny_model(*dir_);
  }
  static void TearDownTestSuite() { dir_.reset(); }

  // build/bin/translate on the tiny model with short outputs, plus `options`. One thread unless the options
  // say otherwise: tests run side by side, and OpenMP teams on oversubscribed cores wait for each other.
  static ProcessResult translate(const std::string& options, const std::string& input) {
    const std::string threads = options.find("--threads") == std::string::npos ? " --threads 1" : "";
    return run_command(program_path("translate") + " --model " + model_ + " --max-length-factor 1 " +
                           "--max-length-offset 5" + threads + " " + options,
                       input);
  }

  // The output lines of translating `lines` (the test fails on a nonzero exit).
  static std::vector<std::string> output_lines(const std::string& options,
                                               const std::vector<std::string>& lines) {
    const ProcessResult r = translate(options, as_input(lines));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return split(r.out, '\n');
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string model_;
};

std::unique_ptr<TempDir> TranslateProgram::dir_;
std::string TranslateProgram::model_;

// Without --model: the model.bin of a training config's run (--config), else FERRY_MODEL; neither is an
// error that lists the three ways.
TEST_F(TranslateProgram, FindsItsModelThroughATrainingConfigOrFerryModel) {
  const std::string input = "Ein Hund läuft.\nZwei Männer spielen Fußball.\n";
  const ProcessResult expected = translate("", input);
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  const std::string base =
      program_path("translate") + " --max-length-factor 1 --max-length-offset 5 --threads 1";
  const std::string config = dir_->write("run.yaml", "training: {model_dir: " + dir_->path("run") + "}\n");

  const ProcessResult by_config = run_command("env -u FERRY_MODEL " + base + " --config " + config, input);
  EXPECT_EQ(by_config.exit_code, 0) << by_config.err;
  EXPECT_EQ(by_config.out, expected.out);
  const ProcessResult by_environment = run_command("FERRY_MODEL=" + model_ + " " + base, input);
  EXPECT_EQ(by_environment.exit_code, 0) << by_environment.err;
  EXPECT_EQ(by_environment.out, expected.out);
  // --model first, then --config, then the environment.
  EXPECT_EQ(run_command("FERRY_MODEL=/nonexistent " + base + " --model " + model_, input).out, expected.out);
  EXPECT_EQ(run_command("FERRY_MODEL=/nonexistent " + base + " --config " + config, input).out, expected.out);

  const ProcessResult none = run_command("env -u FERRY_MODEL " + base, input);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(
      none.err.find("no model: give --model FILE, or --config FILE (a training config: the model.bin in "
                    "its training.model_dir), or set FERRY_MODEL=FILE"),
      std::string::npos)
      << none.err;
  EXPECT_TRUE(none.out.empty());
  // A config without training.model_dir names the default folder's model.
  const std::string bare = dir_->write("bare.yaml", "model: {precision: f32}\n");
  const ProcessResult defaulted =
      run_command("cd " + dir_->root() + " && " + base + " --config " + bare, input);
  EXPECT_EQ(defaulted.exit_code, 2);
  EXPECT_NE(defaulted.err.find("runs/de-en/model.bin"), std::string::npos) << defaulted.err;
}

TEST_F(TranslateProgram, EveryInputLineGetsExactlyOneOutputLineInOrder) {
  std::string overlong;
  while (overlong.size() < 10000) overlong += "Ein Hund rennt durch das hohe Gras. ";
  const std::vector<std::string> lines = {"Ein Mann fährt Fahrrad.",
                                          "",
                                          overlong,
                                          std::string("bin\x01\x02\x7f\x00\x1b[0mary", 15),
                                          "Fa\xC3\x28hrrad \xFF\xFE kaputt",
                                          "ein einsames \r mitten in der Zeile",
                                          "   ",
                                          "\r",
                                          "Zwei Hunde spielen im Schnee."};
  std::string input = as_input(lines);
  input.pop_back();  // no newline after the last line
  const ProcessResult r = translate("--max-input-length 40", input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.back(), '\n');
  const std::vector<std::string> out = split(r.out, '\n');
  ASSERT_EQ(out.size(), lines.size()) << r.out;
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(out[6], "");
  EXPECT_EQ(out[7], "");
  EXPECT_NE(out[0], "");
  EXPECT_NE(out[8], "");
  // Each line's translation is the one it gets alone: nothing shifted.
  for (size_t i : {0, 2, 8}) {
    const ProcessResult alone = translate("--max-input-length 40", lines[i] + "\n");
    ASSERT_EQ(alone.exit_code, 0) << alone.err;
    EXPECT_EQ(out[i] + "\n", alone.out) << "line " << i + 1;
  }
  EXPECT_NE(r.err.find("line 3: too long"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cut to 40"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4: control characters removed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5: invalid UTF-8 replaced"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 1:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 9:"), std::string::npos) << r.err;
}

TEST_F(TranslateProgram, OutputAppearsBeforeTheInputEnds) {
  const TempDir dir;
  dir.write("first.txt", as_input(test_lines(6)));
  // The input stays open until the output of the first two chunks (1 and 2 lines) is seen, or 60 s passed.
  // out.txt exists before translate opens it, which a busy machine may delay past the first look at it.
  const std::string script =
      "cd " + dir.root() + " && mkfifo in && : > out.txt && (" + program_path("translate") + " --model " + model_ +
      " --threads 1 --batch-size 4 --max-length-factor 1 --max-length-offset 5 < in > out.txt " +
      "2> err.txt &) && exec 3> in && cat first.txt >&3 && i=0 && " +
      "while [ $(wc -l < out.txt) -lt 3 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; " +
      "wc -l < out.txt > early.txt; echo 'Ein Hund.' >&3; exec 3>&-; " +
      "while [ $(wc -l < out.txt) -lt 7 ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done";
  const ProcessResult r = run_command(script);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::atoi(read_file(dir.path("early.txt")).c_str()), 3) << read_file(dir.path("err.txt"));
  EXPECT_EQ(split(read_file(dir.path("out.txt")), '\n').size(), 7u) << read_file(dir.path("err.txt"));
}

TEST_F(TranslateProgram, BatchSizeDoesNotChangeTheOutput) {
  const std::vector<std::string> lines = test_lines(40);
  expect_same_scored_lines(output_lines("--batch-size 1 --scores --threads 2", lines),
                           output_lines("--batch-size 64 --scores --threads 2", lines), 40);
}

// Greedy translation without --scores picks each token without the whole distribution (at f32 through the
// output layer's 8-bit screen): the same lines as with --scores, less the scores, at every precision.
TEST_F(TranslateProgram, GreedyTranslatesTheSameWithAndWithoutScores) {
  const std::vector<std::string> lines = test_lines(40);
  for (const std::string precision : {"f32", "bf16", "int8"}) {
    if (precision == "int8" && !Context::has_int8_dot_products()) continue;
    const std::string options = "--beam-size 1 --precision " + precision;
    const std::vector<std::string> scored = output_lines(options + " --scores", lines);
    const std::vector<std::string> plain = output_lines(options, lines);
    ASSERT_EQ(plain.size(), lines.size()) << precision;
    ASSERT_EQ(scored.size(), lines.size()) << precision;
    for (size_t i = 0; i < lines.size(); ++i) {
      const size_t separator = scored[i].rfind(" ||| ");
      ASSERT_NE(separator, std::string::npos) << scored[i];
      EXPECT_EQ(plain[i], scored[i].substr(0, separator)) << precision << ", line " << i;
    }
  }
}

// Several searches at once (--workers; one per thread unless given) translate as one search on every thread.
TEST_F(TranslateProgram, WorkersTranslateAsOneSearchDoes) {
  const std::vector<std::string> lines = test_lines(40);
  expect_same_scored_lines(output_lines("--threads 2 --workers 1 --scores", lines),
                           output_lines("--threads 2 --scores", lines), 40);
  const ProcessResult too_many = translate("--threads 2 --workers 3", "Hallo\n");
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_NE(too_many.err.find("--workers 3 needs at least 3 threads, but there are 2 (--threads)"),
            std::string::npos)
      << too_many.err;
  EXPECT_EQ(translate("--workers -1", "Hallo\n").exit_code, 2);
}

// Unless --workers says otherwise, standard input from a file of at least 8 KiB gets one worker per
// thread; a smaller file or a pipe, one search.
TEST_F(TranslateProgram, ALargeInputFileGetsOneWorkerPerThread) {
  TempDir dir;
  // Whole test lines up to just below 8 KiB, then a line of filler to exactly 8 KiB.
  const size_t threshold = 8 << 10;
  std::string text;
  for (const std::string& line : test_lines(1000)) {
    if (text.size() + line.size() + 1 > threshold - 2) break;
    text += line + "\n";
  }
  text += std::string(threshold - text.size() - 1, 'a') + "\n";
  const std::string file = dir.write("large.de", text);
  ASSERT_EQ(read_file(file).size(), threshold);
  const std::string command = program_path("translate") + " --model " + model_ +
                              " --max-length-factor 1 --max-length-offset 5 --threads 2";
  const ProcessResult large = run_command(command + " < " + file);
  ASSERT_EQ(large.exit_code, 0) << large.err;
  EXPECT_NE(large.err.find("translating with 2 workers, 1 thread(s) each"), std::string::npos) << large.err;
  const ProcessResult piped = run_command("cat " + file + " | " + command);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find("translating with"), std::string::npos) << piped.err;
  EXPECT_EQ(piped.out, large.out);
  const std::string smaller = dir.write("smaller.de", read_file(file).substr(1));
  const ProcessResult small = run_command(command + " < " + smaller);
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_EQ(small.err.find("translating with"), std::string::npos) << small.err;
  EXPECT_NE(translate("--threads 2 --workers 2", as_input(test_lines(100))).err.find("translating with 2 workers"),
            std::string::npos);
}

TEST_F(TranslateProgram, NBestListsAreWellFormedAndSorted) {
  std::vector<std::string> lines = test_lines(5);
  lines.push_back("");
  const std::vector<std::string> out = output_lines("--beam-size 4 --n-best 3", lines);
  ASSERT_EQ(out.size(), 5u * 3u + 1u);
  for (size_t i = 0; i < out.size(); ++i) {
    const std::vector<std::string> f = fields(out[i]);
    ASSERT_EQ(f.size(), 3u) << out[i];
    EXPECT_EQ(f[0], std::to_string(i / 3)) << out[i];
    if (i == 15) break;
    EXPECT_LT(std::stod(f[2]), 0.0) << out[i];
    if (i % 3 > 0) {
      EXPECT_GE(std::stod(fields(out[i - 1])[2]), std::stod(f[2])) << "lines " << i << " and " << i + 1;
      EXPECT_NE(fields(out[i - 1])[1], f[1]);
    }
  }
  EXPECT_EQ(out.back(), "5 |||  ||| 0.000000");
}

TEST_F(TranslateProgram, SoftAlignmentRowsSumToOneOverTheSourceWords) {
  const std::vector<std::string> lines = test_lines(4);
  const std::vector<std::string> out = output_lines("--alignments soft", lines);
  ASSERT_EQ(out.size(), lines.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const std::vector<std::string> f = fields(out[i]);
    ASSERT_EQ(f.size(), 2u) << out[i];
    const std::vector<std::string> rows = split(f[1], ' ');
    EXPECT_EQ(rows.size(), words(f[0]).size()) << out[i];
    for (const std::string& row : rows) {
      const std::vector<std::string> weights = split(row, ',');
      EXPECT_EQ(weights.size(), words(lines[i]).size()) << row;
      double total = 0;
      for (const std::string& w : weights) {
        EXPECT_GE(std::stod(w), 0.0);
        total += std::stod(w);
      }
      EXPECT_NEAR(total, 1.0, 5e-5 * static_cast<double>(weights.size())) << row;
    }
  }
}

TEST_F(TranslateProgram, HardAlignmentsPairSourceAndTargetWords) {
  const std::vector<std::string> lines = test_lines(4);
  const std::vector<std::string> out = output_lines("--alignments hard --scores", lines);
  ASSERT_EQ(out.size(), lines.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const std::vector<std::string> f = fields(out[i]);
    ASSERT_EQ(f.size(), 3u) << out[i];
    const std::vector<std::string> pairs = words(f[2]);
    ASSERT_EQ(pairs.size(), words(f[0]).size()) << out[i];
    for (size_t j = 0; j < pairs.size(); ++j) {
      const size_t dash = pairs[j].find('-');
      ASSERT_NE(dash, std::string::npos) << pairs[j];
      EXPECT_LT(std::stoul(pairs[j].substr(0, dash)), words(lines[i]).size()) << pairs[j];
      EXPECT_EQ(pairs[j].substr(dash + 1), std::to_string(j)) << pairs[j];
    }
  }
}

TEST_F(TranslateProgram, ScoreModePrintsOneLogProbabilityPerPair) {
  const TempDir dir;
  const std::vector<std::string> sources = multi30k_lines("val.de.gz", 6);
  std::vector<std::string> references = multi30k_lines("val.en.gz", 6);
  references[2] = "";
  const std::string ref = dir.write("ref.txt", as_input(references));
  const auto a = output_lines("--score --ref-file " + ref + " --batch-size 1", sources);
  const auto b = output_lines("--score --ref-file " + ref, sources);
  ASSERT_EQ(a.size(), 6u);
  ASSERT_EQ(b.size(), 6u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_LT(std::stod(a[i]), 0.0) << a[i];
    EXPECT_NEAR(std::stod(a[i]), std::stod(b[i]), 1e-4) << "line " << i + 1;
  }
  // A reference of just </s> is far more likely than a whole sentence.
  EXPECT_GT(std::stod(a[2]), std::stod(a[3]));
}

TEST_F(TranslateProgram, Bf16PrecisionScoresPairsCloseToF32) {
  const TempDir dir;
  const std::vector<std::string> sources = multi30k_lines("val.de.gz", 8);
  const std::string ref = dir.write("ref.txt", as_input(multi30k_lines("val.en.gz", 8)));
  const auto f32 = output_lines("--score --ref-file " + ref, sources);
  const auto bf16 = output_lines("--score --ref-file " + ref + " --precision bf16", sources);
  ASSERT_EQ(f32.size(), 8u);
  ASSERT_EQ(bf16.size(), 8u);
  bool any_different = false;
  for (size_t i = 0; i < f32.size(); ++i) {
    const double a = std::stod(f32[i]), b = std::stod(bf16[i]);
    // bf16 keeps 8 significant bits: products are off by about 0.4%, and so is the log-probability.
    EXPECT_NEAR(b, a, 0.03 * std::abs(a) + 0.05) << "line " << i + 1;
    any_different = any_different || a != b;
  }
  EXPECT_TRUE(any_different) << "--precision bf16 computed exactly what f32 did";
  EXPECT_EQ(split(translate("--precision bf16", as_input(sources)).out, '\n').size(), 8u);
}

TEST_F(TranslateProgram, ScoreModeRefusesMismatchedLineCounts) {
  const TempDir dir;
  const std::string ref = dir.write("ref.txt", "one\ntwo\n");
  const ProcessResult r = translate("--score --ref-file " + ref, "eins\nzwei\ndrei\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("3 source lines in standard input but 2 reference lines in "), std::string::npos)
      << r.err;
}

TEST_F(TranslateProgram, SamplingIsSeeded) {
  const std::string input = as_input(test_lines(8));
  const ProcessResult a = translate("--sample --seed 3 --temperature 1.5", input);
  const ProcessResult b = translate("--sample --seed 3 --temperature 1.5 --batch-size 3", input);
  const ProcessResult c = translate("--sample --seed 4 --temperature 1.5", input);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(split(a.out, '\n').size(), 8u);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

TEST_F(TranslateProgram, BadModelFilesExitTwoWithAClearMessage) {
  ProcessResult r = run_command(program_path("translate") + " --model /nonexistent/model.bin", "Hallo\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("translate: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/model.bin"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  const TempDir dir;
  std::string bytes = read_file(model_);
  bytes[bytes.size() / 2] ^= 0x5a;
  r = run_command(program_path("translate") + " --model " + dir.write("damaged.bin", bytes), "Hallo\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;

  r = run_command(program_path("translate") + " --model " + dir.write("text.bin", "just some text\n"),
                  "Hallo\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("text.bin' is not a FERRYMOD file"), std::string::npos) << r.err;

  r = run_command(program_path("translate") + " --model " + dir.path(""), "Hallo\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("it is a folder, not a file"), std::string::npos) << r.err;
}

// --model twice: an ensemble of the model with itself translates, ranks and scores as the model alone.
TEST_F(TranslateProgram, AnEnsembleOfTheModelWithItselfTranslatesAsTheModel) {
  const std::vector<std::string> lines = test_lines(12);
  const std::string twice = "--model " + model_ + " ";
  for (const std::string& options : {std::string("--n-best 3 --beam-size 3"), std::string("--scores")}) {
    SCOPED_TRACE(options);
    const auto alone = output_lines(options, lines), ensemble = output_lines(twice + options, lines);
    ASSERT_EQ(alone.size(), ensemble.size());
    for (size_t i = 0; i < alone.size(); ++i) {
      const auto a = fields(alone[i]), e = fields(ensemble[i]);
      ASSERT_EQ(a.size(), e.size()) << alone[i] << " / " << ensemble[i];
      for (size_t f = 0; f + 1 < a.size(); ++f) EXPECT_EQ(a[f], e[f]) << alone[i] << " / " << ensemble[i];
      EXPECT_NEAR(std::stod(a.back()), std::stod(e.back()), 1e-3) << alone[i] << " / " << ensemble[i];
    }
  }
  const TempDir dir;
  const std::string ref = dir.write("ref.txt", as_input(multi30k_lines("test_2016_flickr.en.gz", 12)));
  const auto alone = output_lines("--score --ref-file " + ref, lines);
  const auto ensemble = output_lines(twice + "--score --ref-file " + ref, lines);
  ASSERT_EQ(alone.size(), ensemble.size());
  for (size_t i = 0; i < alone.size(); ++i)
    EXPECT_NEAR(std::stod(alone[i]), std::stod(ensemble[i]), 1e-3) << i;
}

TEST_F(TranslateProgram, AnEnsembleOfModelsWithOtherVocabulariesIsRefused) {
  const TempDir dir;
  const ProcessResult trained = run_command(tiny_train_command(
      dir, "--set vocab.tgt.size=300 --set training.max_steps=5 --set training.validate_every=1000" +
               small_valid_set(dir, 10)));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string other = dir.path("run/model.bin");
  const ProcessResult r = translate("--model " + other, "Ein Hund.\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(other + " has another "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("vocabulary than " + model_), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

// A checksum holds for the bytes of a model whose weights went NaN: such a model is refused, not run.
TEST_F(TranslateProgram, NonFiniteWeightsAreRefused) {
  const TempDir dir;
  const Archive saved = Archive::read(model_, kModelMagic, kModelFormatVersion);
  ArchiveWriter poisoned;
  for (const std::string& entry : saved.names()) {
    if (entry.rfind("param/", 0) != 0) {
      poisoned.add_blob(entry, saved.blob(entry));
      continue;
    }
    Tensor value = saved.tensor(entry);
    if (entry == "param/output/bias") value.data()[3] = std::numeric_limits<float>::infinity();
    poisoned.add_tensor(entry, value);
  }
  const std::string path = dir.path("inf.bin");
  poisoned.write(path, kModelMagic, kModelFormatVersion);
  const ProcessResult r = run_command(program_path("translate") + " --model " + path, "Hallo\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("parameter output/bias holds inf at element 3"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

// Fusion with a language model trained on the same target vocabulary: at weight 0 the translations are
// byte-identical to the model's alone; at 0.5 every line still gets its translation; a translation model or
// a weight without --lm is refused.
TEST_F(TranslateProgram, LanguageModelFusion) {
  const TempDir lm_dir;
  const ProcessResult trained = run_command(tiny_lm_train_command(
      lm_dir, "--set training.max_steps=20 --set vocab.model=" + dir_->path("spm.en.model")));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string lm = lm_dir.path("run/model.bin");
  const std::vector<std::string> lines = test_lines(12);
  const auto alone = output_lines("--beam-size 3", lines);
  EXPECT_EQ(output_lines("--beam-size 3 --lm " + lm + " --lm-weight 0", lines), alone);
  EXPECT_EQ(output_lines("--beam-size 3 --lm " + lm + " --lm-weight 0.5", lines).size(), lines.size());
  const ProcessResult not_lm = translate("--lm " + model_, "Ein Hund.\n");
  EXPECT_EQ(not_lm.exit_code, 2);
  EXPECT_NE(not_lm.err.find("is a translation model: --lm takes a language model"), std::string::npos)
      << not_lm.err;
  const ProcessResult no_lm = translate("--lm-weight 0.3", "Ein Hund.\n");
  EXPECT_EQ(no_lm.exit_code, 2);
  EXPECT_NE(no_lm.err.find("--lm-weight is only read with --lm FILE"), std::string::npos) << no_lm.err;
}

// A model with input feeding, trained by the program and then translated: the fed output is part of each
// search row's state, so batches of one and of twelve sentences translate alike; bf16, int8 (where the CPU
// has 8-bit dot products) and --score run on it too.
TEST(TranslateInputFeeding, TrainedModelTranslatesAtEveryPrecision) {
  const TempDir dir;
  const ProcessResult trained =
      run_command(tiny_train_command(dir,
                                     "--set model.decoder.input_feeding=true --set training.max_steps=30 "
                                     "--set training.validate_every=1000" +
                                         small_valid_set(dir, 10)));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string command = program_path("translate") + " --model " + dir.path("run/model.bin") +
                              " --threads 1 --beam-size 3 --max-length-factor 1 --max-length-offset 5 ";
  const std::vector<std::string> lines = test_lines(12);
  const auto run = [&](const std::string& options, const std::string& input) {
    const ProcessResult r = run_command(command + options, input);
    EXPECT_EQ(r.exit_code, 0) << options << ": " << r.err;
    return split(r.out, '\n');
  };
  const std::vector<std::string> one = run("--batch-size 1", as_input(lines));
  EXPECT_EQ(one.size(), lines.size());
  EXPECT_EQ(run("--batch-size 12", as_input(lines)), one);
  EXPECT_EQ(run("--precision bf16", as_input(lines)).size(), lines.size());
  if (Context::has_int8_dot_products()) {
    EXPECT_EQ(run("--precision int8", as_input(lines)).size(), lines.size());
  }
  const std::string ref = dir.write("ref.txt", as_input(multi30k_lines("test_2016_flickr.en.gz", 12)));
  const std::vector<std::string> scores = run("--score --ref-file " + ref, as_input(lines));
  ASSERT_EQ(scores.size(), lines.size());
  for (const std::string& score : scores) EXPECT_LT(std::stod(score), 0.0) << score;
}

// Refused while the options are read, before the model is opened: a placeholder stands in for it.
TEST(TranslateArguments, AFileArgumentIsRefusedNotIgnored) {
  TempDir dir;
  const std::string input = dir.write("in.txt", "Ein Hund.\n");
  const ProcessResult r = run_command(
      program_path("translate") + " --model " + dir.write("model.bin", "placeholder") + " " + input,
      "Hallo\n");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("translate: error: unexpected argument '" + input +
                       "' (input is read from standard input; see --help)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(TranslateProgram, BadOptionsExitTwo) {
  for (const char* options : {"--beam-size 2 --n-best 3", "--alignments fuzzy", "--normalize sqrt", "--score",
                              "--temperature 0", "--no-such-option", "--batch-size 0", "--precision f16",
                              "--threads 100000", "--beam-size 20000", "--length-penalty 11"}) {
    const ProcessResult r = translate(options, "Hallo\n");
    EXPECT_EQ(r.exit_code, 2) << options << ": " << r.err;
    EXPECT_NE(r.err.find("translate: error: "), std::string::npos) << options << ": " << r.err;
  }
}

// The entries of a --help listing by option name ("--beam-size"), each with its description: Boost starts an
// entry two spaces in and indents its wrapped description lines further.
std::map<std::string, std::string> help_entries(const std::string& help) {
  std::map<std::string, std::string> entries;
  std::string* current = nullptr;
  for (const std::string& line : split(help, '\n')) {
    const size_t text = line.find_first_not_of(' ');
    if (text == std::string::npos || text < 2) {
      current = nullptr;
    } else if (text == 2) {
      const size_t name = line.find("--", text);
      const size_t name_end = line.find_first_of(" [", name);
      current = &entries[line.substr(name, name_end - name)];
      *current = line.substr(name_end);
    } else if (current) {
      *current += " " + line.substr(text);
    }
  }
  return entries;
}

TEST(TranslateHelp, ListsEveryOptionWithItsDefault) {
  const ProcessResult r = run_command(program_path("translate") + " --help");
  EXPECT_EQ(r.exit_code, 0);
  const std::map<std::string, std::string> entries = help_entries(r.out);
  const std::vector<std::string> options = {"--help",
                                            "--model",
                                            "--config",
                                            "--precision",
                                            "--beam-size",
                                            "--normalize",
                                            "--length-penalty",
                                            "--max-length-factor",
                                            "--max-length-offset",
                                            "--max-input-length",
                                            "--batch-size",
                                            "--batch-tokens",
                                            "--n-best",
                                            "--scores",
                                            "--alignments",
                                            "--sample",
                                            "--temperature",
                                            "--top-k",
                                            "--top-p",
                                            "--seed",
                                            "--threads",
                                            "--workers",
                                            "--score",
                                            "--ref-file",
                                            "--lm",
                                            "--lm-weight"};
  EXPECT_EQ(entries.size(), options.size()) << r.out;
  for (const std::string& option : options) {
    ASSERT_TRUE(entries.count(option)) << option << " not in:\n" << r.out;
    // Boost's "(=value)", or the option's own "(default: ...)"; --model says where the model comes from
    // without it.
    const std::string& entry = entries.at(option);
    const bool has_default =
        entry.find("(=") != std::string::npos || entry.find("(default: ") != std::string::npos;
    EXPECT_TRUE(option == "--model" ? entry.find("Without it: the model.bin") != std::string::npos
                                    : has_default)
        << option << ":" << entry;
  }
  for (const char* option : {"--help", "--scores", "--sample", "--score"})
    EXPECT_NE(entries.at(option).find("(default: off)"), std::string::npos) << option;
  for (const char* fallback :
       {"decoding.beam_size, else 5", "decoding.normalize, else gnmt", "decoding.length_penalty, else 0.6",
        "decoding.batch_size, else 32", "decoding.max_input_length, else 250"})
    EXPECT_NE(r.out.find(fallback), std::string::npos) << fallback << "\n" << r.out;
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

// What libgomp settles on, as OMP_DISPLAY_ENV=verbose prints it at start-up.
std::string spin_count_of(const std::string& environment) {
  const ProcessResult r = run_command("env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT " + environment +
                                      " OMP_DISPLAY_ENV=verbose " + program_path("translate") + " --help");
  const size_t at = r.err.find("GOMP_SPINCOUNT = '");
  return at == std::string::npos ? "(not shown: " + r.err + ")"
                                 : r.err.substr(at + 18, r.err.find('\'', at + 18) - at - 18);
}

// Waiting OpenMP threads spin briefly, then sleep, unless the user asked otherwise: they hold no core for
// long on a busy machine.
TEST(ProgramStart, OpenMpThreadsSpinBrieflyUnlessTheUserChoseOtherwise) {
  EXPECT_EQ(spin_count_of(""), "1000");
  EXPECT_EQ(spin_count_of("OMP_WAIT_POLICY=PASSIVE"), "0");
  const std::string active = spin_count_of("OMP_WAIT_POLICY=ACTIVE");
  EXPECT_TRUE(!active.empty() && active.find_first_not_of("0123456789") == std::string::npos && active != "0")
      << active;
  EXPECT_EQ(spin_count_of("GOMP_SPINCOUNT=1234"), "1234");
}

// The main heap of a program started with `environment` and no OpenMP settings (so that it starts itself
// again in any case), as /proc/PID/smaps shows it once GOMP_SPINCOUNT shows that it did and the program
// waits to read a pipe: evaluate, reading its hypotheses from a pipe that stays open until the heap was
// looked at.
struct Heap {
  int64_t kib = -1;
  bool huge_pages_advised = false;  // VmFlags has "hg"
};

Heap heap_of(const std::string& environment) {
  const TempDir dir;
  dir.write("ref.txt", "a\n");
  const std::string script =
      "cd " + dir.root() + " || exit 1; mkfifo in || exit 1; " +
      "env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u GLIBC_TUNABLES " + environment + " " +
      program_path("evaluate") + " --ref ref.txt < in > /dev/null & pid=$!; exec 3> in; i=0; " +
      "while ! { tr '\\0' '\\n' < /proc/$pid/environ | grep -q '^GOMP_SPINCOUNT=1000$' && " +
      "grep -q pipe /proc/$pid/wchan; } && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; " +
      "awk '/\\[heap\\]/ {p = 1} p && /^Size:/ {print $2} p && /^VmFlags:/ {print; p = 0}' /proc/$pid/smaps; " +
      "echo a >&3; exec 3>&-; wait $pid";
  const ProcessResult r = run_command(script);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = split(r.out, '\n');
  Heap heap;
  if (lines.size() < 2) {
    ADD_FAILURE() << "no heap in smaps: " << r.out << r.err;
    return heap;
  }
  heap.kib = std::atoll(lines[0].c_str());
  heap.huge_pages_advised = (lines[1] + " ").find(" hg ") != std::string::npos;
  return heap;
}

// malloc's heap grows in steps of 64 MiB of transparent huge pages, unless the user set glibc's tunables.
// glibc advises huge pages only where the kernel gives them on advice alone; where it gives them always,
// there is nothing to advise.
TEST(ProgramStart, MallocHeapGetsHugePagesUnlessTheUserSetGlibcTunables) {
  std::ifstream mode("/sys/kernel/mm/transparent_hugepage/enabled");
  const std::string modes((std::istreambuf_iterator<char>(mode)), std::istreambuf_iterator<char>());
  const bool on_advice = modes.find("[madvise]") != std::string::npos;
  const Heap ours = heap_of("");
  EXPECT_EQ(ours.huge_pages_advised, on_advice);
  EXPECT_GE(ours.kib, 64 << 10);
  const Heap users = heap_of("GLIBC_TUNABLES=glibc.malloc.arena_max=2");
  EXPECT_FALSE(users.huge_pages_advised);
  EXPECT_GE(users.kib, 0);
  EXPECT_LT(users.kib, 64 << 10);
}

}  // namespace
}  // namespace ferry
