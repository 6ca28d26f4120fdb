// Every case of the shared sacreBLEU reference scores (shared/data/bleu-cases/scores.json, computed with
// sacreBLEU itself) reproduced to 0.01, and the BLEU line to the character where the file gives one.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/eval_corpus.h"
#include "util/file_io.h"

namespace ferry {
namespace {

const std::string kCasesDir = FERRY_SOURCE_DIR "/../shared/data/bleu-cases";

struct SacrebleuCase {
  std::string name;
  EvalCorpus corpus;
  double bleu = 0.0;
  std::string bleu_line;  // empty where the file gives none
  double chrf = 0.0;
  double chrf_plus_plus = 0.0;
};

class SacrebleuCases : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string scores = kCasesDir + "/scores.json";
    ASSERT_TRUE(file_exists(scores)) << "missing " << scores;
    const YAML::Node root = YAML::LoadFile(scores);
    for (const auto& entry : root["cases"]) {
      SacrebleuCase test_case;
      test_case.name = entry.first.as<std::string>();
      const YAML::Node& fields = entry.second;
      std::vector<std::string> references;
      for (const auto& reference : fields["refs"]) {
        references.push_back(kCasesDir + "/" + reference.as<std::string>());
      }
      test_case.corpus = read_eval_corpus(kCasesDir + "/" + fields["hyp"].as<std::string>(), references);
      test_case.bleu = fields["bleu"].as<double>();
      if (fields["bleu_line"]) test_case.bleu_line = fields["bleu_line"].as<std::string>();
      test_case.chrf = fields["chrf"].as<double>();
      test_case.chrf_plus_plus = fields["chrf++"].as<double>();
      cases_.push_back(std::move(test_case));
    }
    ASSERT_GE(cases_.size(), 8u) << "expected the eight cases of " << scores;
  }

  void expect_chrf_scores(const ChrfOptions& options, double SacrebleuCase::*expected) const {
    for (const SacrebleuCase& test_case : cases_) {
      SCOPED_TRACE(test_case.name);
      const ChrfScore chrf = corpus_chrf(test_case.corpus.hypotheses, test_case.corpus.references, options);
      EXPECT_NEAR(chrf.score, test_case.*expected, 0.01);
    }
  }

  std::vector<SacrebleuCase> cases_;
};

TEST_F(SacrebleuCases, Bleu) {
  for (const SacrebleuCase& test_case : cases_) {
    SCOPED_TRACE(test_case.name);
    const BleuScore bleu = corpus_bleu(test_case.corpus.hypotheses, test_case.corpus.references);
    EXPECT_NEAR(bleu.score, test_case.bleu, 0.01);
    if (!test_case.bleu_line.empty()) {
      EXPECT_EQ(bleu.format(), test_case.bleu_line);
    }
  }
}

TEST_F(SacrebleuCases, Chrf) { expect_chrf_scores(chrf_options(), &SacrebleuCase::chrf); }

TEST_F(SacrebleuCases, ChrfPlusPlus) {
  expect_chrf_scores(chrf_plus_plus_options(), &SacrebleuCase::chrf_plus_plus);
}

}  // namespace
}  // namespace ferry
