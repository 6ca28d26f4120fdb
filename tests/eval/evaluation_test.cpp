#include "eval/evaluation.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <zlib.h>

#include "eval/report.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace ferry {
namespace {

::testing::AssertionResult throws_input_error_with(const std::function<void()>& action,
                                                   const std::vector<std::string>& parts) {
  try {
    action();
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      if (message.find(part) == std::string::npos) {
        return ::testing::AssertionFailure() << "'" << message << "' lacks '" << part << "'";
      }
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no InputError";
}

TEST(Evaluation, MetricListsKeepOrderAndDropRepeats) {
  EXPECT_EQ(parse_metric_list("bleu,chrf"), (std::vector<MetricKind>{MetricKind::kBleu, MetricKind::kChrf}));
  EXPECT_EQ(parse_metric_list("chrf++,bleu,chrf++"),
            (std::vector<MetricKind>{MetricKind::kChrfPlusPlus, MetricKind::kBleu}));
  EXPECT_TRUE(throws_input_error_with([] { parse_metric_list("bleu,ter"); },
                                      {"unknown metric 'ter'", "bleu, chrf, chrf++"}));
  EXPECT_TRUE(throws_input_error_with([] { parse_metric_list(""); }, {"no metric"}));
}

TEST(Evaluation, ReadsPlainAndGzipReferencesAndRepairsUtf8) {
  TempDir dir;
  const std::string hyp = dir.write("hyp.txt", "caf\xE9 au lait\nzwei\n");
  const std::string ref = dir.write("ref.txt", "café au lait\r\nzwei\n");
  const std::string zipped = dir.path("ref2.gz");
  gzFile out = gzopen(zipped.c_str(), "wb");
  gzputs(out, "eins\n\n");
  gzclose(out);
  const EvalCorpus corpus = read_eval_corpus(hyp, {ref, zipped});
  EXPECT_EQ(corpus.hypotheses, (std::vector<std::string>{"caf\uFFFD au lait", "zwei"}));
  EXPECT_EQ(corpus.references, (ReferenceStreams{{"café au lait\r", "zwei"}, {"eins", ""}}));
}

TEST(Evaluation, MismatchedLineCountsNameBothFilesAndCounts) {
  TempDir dir;
  const std::string hyp = dir.write("hyp.txt", "a\nb\nc\n");
  const std::string ref = dir.write("ref.txt", "a\nb\n");
  const std::string ref3 = dir.write("ref3.txt", "a\nb\nc\n");
  EXPECT_TRUE(
      throws_input_error_with([&] { read_eval_corpus(hyp, {ref}); },
                              {"3 hypotheses in '" + hyp + "'", "2 reference lines in '" + ref + "'"}));
  EXPECT_TRUE(throws_input_error_with(
      [&] {
        read_eval_corpus(hyp, {ref3, ref});
      },
      {"3 lines in '" + ref3 + "'", "2 in '" + ref + "'"}));
  EXPECT_TRUE(throws_input_error_with([&] { read_eval_corpus(hyp, {dir.path("missing.txt")}); },
                                      {"cannot open '" + dir.path("missing.txt") + "'"}));
}

TEST(Evaluation, ScoresAndReportsTheMetricsAskedFor) {
  EvalCorpus corpus;
  corpus.hypotheses = {"the cat sat on the", ""};
  corpus.references = {{"the cat sat on the mat today", "x"}, {"", "a b"}};
  const CorpusEvaluation evaluation = evaluate_corpus(corpus, {MetricKind::kChrfPlusPlus, MetricKind::kBleu});
  ASSERT_TRUE(evaluation.bleu && evaluation.chrf_plus_plus);
  EXPECT_FALSE(evaluation.chrf);
  EXPECT_EQ(evaluation.sentences, 2u);
  EXPECT_EQ(evaluation.bleu->format(), corpus_bleu(corpus.hypotheses, corpus.references).format());

  const std::string lines = format_score_lines(evaluation);
  EXPECT_EQ(lines, evaluation.chrf_plus_plus->format() + "\n" + evaluation.bleu->format() + "\n");

  const std::string json = format_json(evaluation);
  ASSERT_EQ(json.find('\n'), json.size() - 1) << json;
  const YAML::Node parsed = YAML::Load(json);
  EXPECT_EQ(parsed["sentences"].as<int>(), 2);
  EXPECT_EQ(parsed["references"].as<int>(), 2);
  EXPECT_FALSE(parsed["chrf"]);
  EXPECT_DOUBLE_EQ(parsed["bleu"]["score"].as<double>(), evaluation.bleu->score);
  ASSERT_EQ(parsed["bleu"]["precisions"].size(), 4u);
  EXPECT_DOUBLE_EQ(parsed["bleu"]["precisions"][3].as<double>(), evaluation.bleu->precisions[3]);
  EXPECT_DOUBLE_EQ(parsed["bleu"]["bp"].as<double>(), evaluation.bleu->bp);
  EXPECT_DOUBLE_EQ(parsed["bleu"]["ratio"].as<double>(), evaluation.bleu->ratio);
  EXPECT_EQ(parsed["bleu"]["hyp_len"].as<int>(), 5);
  // Line 1: 7 (its empty second reference is skipped); line 2: "x", closest to the empty hypothesis: 1.
  EXPECT_EQ(parsed["bleu"]["ref_len"].as<int>(), 8);
  EXPECT_EQ(parsed["bleu"]["line"].as<std::string>(), evaluation.bleu->format());
  EXPECT_DOUBLE_EQ(parsed["chrf++"]["score"].as<double>(), evaluation.chrf_plus_plus->score);
  EXPECT_EQ(parsed["chrf++"]["word_order"].as<int>(), 2);
}

}  // namespace
}  // namespace ferry
