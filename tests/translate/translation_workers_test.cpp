// Several searches at once, each with its own network over the tiny model's shared weights, translate exactly
// as one search does.
#include "translate/translation_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "core/context.h"
#include "support/corpus.h"
#include "support/nbest_checks.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "translate/decode_config.h"
#include "translate/search_options.h"
#include "util/error.h"

namespace ferry {
namespace {

class TranslationWorkersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    path_ = train_tiny_model(*dir_);
    Context::set_threads(1);
    models_ = std::make_unique<ModelSet>(std::vector<std::string>{path_}, std::nullopt);
    for (const std::string& line : multi30k_lines("test_2016_flickr.de.gz", 70))
      sources_.push_back(models_->first().src_vocab.encode(line));
    sources_[3].clear();  // empty sources are answered without a search
    sources_[40].clear();
  }
  static void TearDownTestSuite() {
    models_.reset();
    dir_.reset();
  }

  static SearchOptions search(int64_t beam_size) {
    SearchOptions options = search_options(decode_config_of_model(models_->first().config_yaml, path_));
    options.beam_size = beam_size;
    options.max_length_factor = 1;
    options.max_length_offset = 5;
    return options;
  }

  static std::function<WorkerTranslator()> make(int64_t beam_size, const BatchLimits& limits) {
    return [beam_size, limits] {
      WorkerTranslator worker;
      worker.models = models_->sharing_weights();
      worker.translator = std::make_unique<Translator>(worker.models->scorer(), search(beam_size), limits);
      return worker;
    };
  }

  static std::unique_ptr<TempDir> dir_;
  static std::string path_;
  static std::unique_ptr<ModelSet> models_;
  static std::vector<TokenIds> sources_;
};
std::unique_ptr<TempDir> TranslationWorkersTest::dir_;
std::string TranslationWorkersTest::path_;
std::unique_ptr<ModelSet> TranslationWorkersTest::models_;
std::vector<TokenIds> TranslationWorkersTest::sources_;

// Chunks of several batches, chunks smaller than the workers' batches (cut into one batch per worker), one
// source, none; greedy and beam search, n-best lists included.
TEST_F(TranslationWorkersTest, TranslateAsOneSearchDoes) {
  for (const int64_t beam_size : {int64_t{1}, int64_t{3}}) {
    const BatchLimits limits{8, 0};
    Translator one(models_->scorer(), search(beam_size), limits);
    TranslationWorkers workers(make(beam_size, limits)(), 2, 1, make(beam_size, limits));
    for (const size_t count : {size_t{70}, size_t{5}, size_t{1}, size_t{0}}) {
      const std::vector<TokenIds> chunk(sources_.begin(), sources_.begin() + static_cast<std::ptrdiff_t>(count));
      SCOPED_TRACE("beam " + std::to_string(beam_size) + ", " + std::to_string(count) + " sources");
      expect_same_nbest(workers.translate(chunk, 100), one.translate(chunk, 100));
    }
  }
}

// A set made for another worker holds no weights of its own, and its ensemble translates as the set's.
TEST_F(TranslationWorkersTest, AModelSetSharingWeightsTranslatesAsTheSet) {
  ModelSet ensemble(std::vector<std::string>{path_, path_}, std::nullopt);
  const std::unique_ptr<ModelSet> shared = ensemble.sharing_weights();
  ASSERT_EQ(shared->size(), 2u);
  const ParamRegistry& mine = shared->first().network->params();
  const ParamRegistry& theirs = ensemble.first().network->params();
  ASSERT_EQ(mine.size(), theirs.size());
  for (size_t i = 0; i < mine.size(); ++i)
    EXPECT_EQ(mine.all()[i]->value.raw(), theirs.all()[i]->value.raw()) << theirs.all()[i]->name;
  const std::vector<TokenIds> chunk(sources_.begin(), sources_.begin() + 12);
  const BatchLimits limits{8, 0};
  Translator owner(ensemble.scorer(), search(3), limits);
  Translator sharing(shared->scorer(), search(3), limits);
  expect_same_nbest(sharing.translate(chunk), owner.translate(chunk));
}

// A worker that cannot set up its models leaves its share to the others: nothing is lost.
TEST_F(TranslationWorkersTest, AWorkerThatCannotStartLeavesItsShareToTheOthers) {
  const BatchLimits limits{4, 0};
  std::atomic<int> started{0};
  const auto fails_once = [&] {
    if (started++ == 0) FERRY_THROW(ModelFileError, "the second worker's model is damaged");
    return make(1, limits)();
  };
  Translator one(models_->scorer(), search(1), limits);
  const std::vector<TokenIds> chunk(sources_.begin(), sources_.begin() + 30);
  {
    TranslationWorkers workers(make(1, limits)(), 3, 1, fails_once);
    expect_same_nbest(workers.translate(chunk), one.translate(chunk));
  }
  EXPECT_EQ(started.load(), 2) << "workers 2 and 3 tried to set up their models";
}

// A batch that fails (a subword id past the vocabulary) fails its chunk; the workers go on with the next.
TEST_F(TranslationWorkersTest, AFailedBatchIsRethrownAndTheWorkersGoOn) {
  const BatchLimits limits{4, 0};
  TranslationWorkers workers(make(1, limits)(), 2, 1, make(1, limits));
  std::vector<TokenIds> chunk(sources_.begin(), sources_.begin() + 20);
  chunk[17] = {1000000};
  EXPECT_THROW(workers.translate(chunk), InternalError);
  Translator one(models_->scorer(), search(1), limits);
  const std::vector<TokenIds> good(sources_.begin(), sources_.begin() + 20);
  expect_same_nbest(workers.translate(good), one.translate(good));
}

}  // namespace
}  // namespace ferry
