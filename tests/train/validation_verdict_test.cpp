#include "train/validation_verdict.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ferry {
namespace {

// chrF moves as BLEU does here, 30 points higher: tests of "chrf" expect what those of "bleu" do.
ValidationResult result(double ppl, double bleu) {
  ValidationResult r;
  r.ppl = ppl;
  r.bleu = bleu;
  r.chrf = bleu + 30;
  r.tokens = 100;
  return r;
}

EarlyStoppingConfig stopping(const std::string& metric, int64_t patience) {
  EarlyStoppingConfig c;
  c.metric = metric;
  c.patience = patience;
  return c;
}

struct Expected {
  bool improved, save, stop;
};

// Periodic validations in which perplexity keeps falling (better every time) while BLEU rises, falls back and
// ties: the two metrics disagree from the third validation on.
const std::vector<ValidationResult> kRun = {result(80, 20), result(70, 25), result(60, 24),
                                            result(50, 26), result(45, 26), result(40, 22)};

void expect_verdicts(const EarlyStoppingConfig& config, const std::vector<Expected>& expected) {
  TrainingProgress progress;
  for (size_t i = 0; i < kRun.size(); ++i) {
    SCOPED_TRACE(config.metric + " validation " + std::to_string(i));
    const ValidationVerdict v = judge_validation(config, kRun[i], true, progress);
    EXPECT_EQ(v.metric, config.metric);
    EXPECT_EQ(v.value, metric_value(config.metric, kRun[i]));
    EXPECT_EQ(v.improved, expected[i].improved);
    EXPECT_EQ(v.save, expected[i].save);
    EXPECT_EQ(v.stop, expected[i].stop);
  }
}

TEST(ValidationVerdict, BleuAndChrfHigherIsBetterForEarlyStoppingAndTheBestModel) {
  // 20 and 25 improve; 24 does not (1 without improvement); 26 improves; the tie at 26 (1) and 22 (2) do not:
  // patience 2 is used up at the last one.
  for (const char* metric : {"bleu", "chrf"}) {
    expect_verdicts(stopping(metric, 2), {{true, true, false},
                                          {true, true, false},
                                          {false, false, false},
                                          {true, true, false},
                                          {false, false, false},
                                          {false, false, true}});
  }
}

TEST(ValidationVerdict, MetricValueReadsTheNamedMetric) {
  const ValidationResult r = result(12.5, 31.0);
  EXPECT_EQ(metric_value("ppl", r), 12.5);
  EXPECT_EQ(metric_value("bleu", r), 31.0);
  EXPECT_EQ(metric_value("chrf", r), 61.0);
}

TEST(ValidationVerdict, PerplexityLowerIsBetterForEarlyStoppingAndTheBestModel) {
  // Every perplexity is lower than the one before: each improves and is saved; the run never stops.
  expect_verdicts(stopping("ppl", 2), std::vector<Expected>(kRun.size(), {true, true, false}));
}

TEST(ValidationVerdict, AWorseValueOfTheMetricNeitherImprovesNorIsSaved) {
  // Perplexity 50 -> 51 is worse although BLEU rises; BLEU 10 -> 9.5 is worse although perplexity falls.
  const struct {
    std::string metric;
    ValidationResult first, second;
    double best;
  } cases[] = {{"ppl", result(50, 10), result(51, 30), 50}, {"bleu", result(50, 10), result(20, 9.5), 10}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.metric);
    TrainingProgress progress;
    judge_validation(stopping(c.metric, 1), c.first, true, progress);
    const ValidationVerdict worse = judge_validation(stopping(c.metric, 1), c.second, true, progress);
    EXPECT_FALSE(worse.improved);
    EXPECT_FALSE(worse.save);
    EXPECT_TRUE(worse.stop);
    EXPECT_EQ(progress.best_metric, c.best);
    EXPECT_EQ(progress.best_saved_metric, c.best);
  }
}

TEST(ValidationVerdict, PatienceZeroNeverStops) {
  TrainingProgress progress;
  for (double bleu : {20.0, 10.0, 5.0, 1.0, 0.0}) {
    const ValidationVerdict v = judge_validation(stopping("bleu", 0), result(10, bleu), true, progress);
    EXPECT_FALSE(v.stop) << bleu;
  }
  EXPECT_EQ(progress.validations_without_improvement, 4);
}

TEST(ValidationVerdict, AnUncountedValidationOnlyChoosesTheSavedModel) {
  TrainingProgress progress;
  judge_validation(stopping("bleu", 1), result(50, 20), true, progress);
  // The run's final validation: better than the saved model, but early stopping does not count it.
  const ValidationVerdict better = judge_validation(stopping("bleu", 1), result(60, 21), false, progress);
  EXPECT_FALSE(better.improved);
  EXPECT_FALSE(better.stop);
  EXPECT_TRUE(better.save);
  EXPECT_EQ(progress.best_metric, 20);
  EXPECT_EQ(progress.best_saved_metric, 21);
  EXPECT_EQ(progress.validations_without_improvement, 0);
  const ValidationVerdict worse = judge_validation(stopping("bleu", 1), result(40, 19), false, progress);
  EXPECT_FALSE(worse.save);
  EXPECT_FALSE(worse.stop);
  EXPECT_EQ(progress.validations_without_improvement, 0);
}

TEST(ValidationVerdict, ResultWithoutTranslationsIsJudgedByPerplexity) {
  for (const char* metric : {"bleu", "chrf"}) {
    SCOPED_TRACE(metric);
    TrainingProgress progress;
    const double none = std::numeric_limits<double>::quiet_NaN();
    EXPECT_TRUE(judge_validation(stopping(metric, 1), result(50, none), true, progress).save);
    const ValidationVerdict v = judge_validation(stopping(metric, 1), result(40, none), true, progress);
    EXPECT_EQ(v.metric, "ppl");
    EXPECT_EQ(v.value, 40);
    EXPECT_TRUE(v.improved);
    EXPECT_TRUE(v.save);
  }
}

}  // namespace
}  // namespace ferry
