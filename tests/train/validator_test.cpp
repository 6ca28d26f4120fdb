// Validation of a trained tiny model: perplexity from the teacher-forced loss, BLEU of translations searched
// with training.validation_beam_size.
#include "train/validator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "data/batch.h"
#include "eval/bleu.h"
#include "eval/chrf.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/thread_count.h"
#include "support/tiny_model.h"
#include "translate/translate_ids.h"

namespace ferry {
namespace {

class ValidatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    threads_ = std::make_unique<ScopedThreadCount>(1);
    dir_ = std::make_unique<TempDir>();
    model_ = std::make_unique<LoadedModel>(load_model(train_tiny_model(*dir_)));
    data_ = std::make_unique<TrainingData>();
    data_->valid_references = multi30k_lines("val.en.gz", 80);
    for (const std::string& line : multi30k_lines("val.de.gz", 80))
      data_->valid.src.push_back(model_->src_vocab.encode(line));
    for (const std::string& line : data_->valid_references)
      data_->valid.tgt.push_back(model_->tgt_vocab.encode(line));
    data_->tgt_vocab = model_->tgt_vocab;
    config_ = std::make_unique<RunConfig>(load_run_config(source_dir() + "/configs/tiny.yaml", {}, false));
  }
  static void TearDownTestSuite() {
    config_.reset();
    data_.reset();
    model_.reset();
    dir_.reset();
    threads_.reset();
  }

  // BLEU and chrF of the validation sources translated with the tiny config's decoding and a beam of `beam`.
  static std::pair<double, double> scores_with_beam(int64_t beam) {
    DecodeConfig search = config_->decoding;
    search.beam_size = beam;
    std::vector<std::string> texts;
    for (const TokenIds& ids : translate_ids(*model_->network, data_->valid.src.to_vectors(), search))
      texts.push_back(model_->tgt_vocab.decode(ids));
    return {corpus_bleu(texts, {data_->valid_references}).score,
            corpus_chrf(texts, {data_->valid_references}, chrf_options()).score};
  }

  static std::unique_ptr<ScopedThreadCount> threads_;
  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<LoadedModel> model_;
  static std::unique_ptr<TrainingData> data_;
  static std::unique_ptr<RunConfig> config_;
};

std::unique_ptr<ScopedThreadCount> ValidatorTest::threads_;
std::unique_ptr<TempDir> ValidatorTest::dir_;
std::unique_ptr<LoadedModel> ValidatorTest::model_;
std::unique_ptr<TrainingData> ValidatorTest::data_;
std::unique_ptr<RunConfig> ValidatorTest::config_;

// One test, so that the model is trained once (each test runs in a process of its own).
TEST_F(ValidatorTest, PerplexityBleuAndChrfWithTheValidationBeamSize) {
  const std::pair<double, double> greedy = scores_with_beam(1), beam = scores_with_beam(4);
  ASSERT_NE(greedy.first, beam.first) << "the beams must translate differently for the test to tell them apart";
  ASSERT_NE(greedy.second, beam.second);
  std::vector<size_t> all(data_->valid.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const LossSum loss = model_->network->forward(make_batch(data_->valid, all), false);
  const double ppl = std::exp(loss.loss / static_cast<double>(loss.tokens));
  RunConfig config = *config_;
  for (const auto& [beam_size, expected] :
       {std::pair<int64_t, std::pair<double, double>>{1, greedy}, {4, beam}}) {
    SCOPED_TRACE("validation_beam_size " + std::to_string(beam_size));
    config.training.validation_beam_size = beam_size;
    const ValidationResult result = Validator(config, *data_).run(*model_->network);
    EXPECT_DOUBLE_EQ(result.bleu, expected.first);
    EXPECT_DOUBLE_EQ(result.chrf, expected.second);
    EXPECT_EQ(result.tokens, data_->valid.target_tokens());
    EXPECT_NEAR(result.ppl, ppl, 1e-6 * ppl);
  }
}

}  // namespace
}  // namespace ferry
