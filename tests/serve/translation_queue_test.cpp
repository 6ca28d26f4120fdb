// The server's queue on the tiny model: requests from many threads, joined into shared searches, get exactly
// what translating them alone gives.
#include "serve/translation_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

#include "core/context.h"
#include "model/model_file.h"
#include "support/corpus.h"
#include "support/nbest_checks.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"
#include "translate/decode_config.h"
#include "translate/model_scorer.h"
#include "translate/search_options.h"

namespace ferry {
namespace {

class TranslationQueueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    const std::string path = train_tiny_model(*dir_);
    Context::set_threads(1);
    model_ = std::make_unique<LoadedModel>(load_model(path));
    scorer_ = std::make_unique<ModelScorer>(*model_->network);
    search_ = search_options(decode_config_of_model(model_->config_yaml, path));
    search_.max_length_factor = 1;
    search_.max_length_offset = 5;
  }
  static void TearDownTestSuite() {
    scorer_.reset();
    model_.reset();
    dir_.reset();
  }

  // Each line translated alone, outside the queue.
  static std::vector<NBest> alone(const std::vector<std::string>& lines, int64_t beam_size) {
    SearchOptions search = search_;
    search.beam_size = beam_size;
    Translator translator(*scorer_, search, BatchLimits{1, 0});
    std::vector<TokenIds> sources;
    for (const std::string& line : lines) sources.push_back(model_->src_vocab.encode(line));
    return translator.translate(sources);
  }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<LoadedModel> model_;
  static std::unique_ptr<ModelScorer> scorer_;
  static SearchOptions search_;
};

std::unique_ptr<TempDir> TranslationQueueTest::dir_;
std::unique_ptr<LoadedModel> TranslationQueueTest::model_;
std::unique_ptr<ModelScorer> TranslationQueueTest::scorer_;
SearchOptions TranslationQueueTest::search_;

TEST_F(TranslationQueueTest, RequestsFromManyThreadsAreJoinedAndEachGetsItsOwnTranslations) {
  const std::vector<std::string> lines = multi30k_lines("test_2016_flickr.de.gz", 36);
  // Eight requests of 1 to 8 lines.
  std::vector<std::vector<std::string>> requests;
  for (size_t size = 1, at = 0; size <= 8; at += size, ++size)
    requests.emplace_back(lines.begin() + at, lines.begin() + at + size);
  QueueOptions options;
  options.threads = 1;
  options.max_batch_sentences = 36;  // all of them: the batch starts once every request has arrived
  options.max_wait_ms = 5000;
  options.max_input_length = 250;
  TranslationQueue queue(*scorer_, model_->src_vocab, search_, options);

  std::vector<QueuedTranslation> answers(requests.size());
  std::vector<std::thread> clients;
  for (size_t r = 0; r < requests.size(); ++r)
    clients.emplace_back([&, r] { answers[r] = queue.translate(requests[r], 2, 2); });
  for (std::thread& client : clients) client.join();

  for (size_t r = 0; r < requests.size(); ++r) {
    SCOPED_TRACE("request " + std::to_string(r));
    expect_same_nbest(answers[r].results, [&] {
      SearchOptions search = search_;
      search.beam_size = 2;
      search.n_best = 2;
      Translator translator(*scorer_, search, BatchLimits{1, 0});
      std::vector<TokenIds> sources;
      for (const std::string& line : requests[r]) sources.push_back(model_->src_vocab.encode(line));
      return translator.translate(sources);
    }());
    EXPECT_TRUE(answers[r].warnings.empty());
  }
  const QueueStats stats = queue.stats();
  EXPECT_EQ(stats.requests, 8u);
  EXPECT_EQ(stats.sentences, 36u);
  EXPECT_LT(stats.searches, stats.requests);  // joined
}

TEST_F(TranslationQueueTest, RequestsOfOtherSearchOptionsAreNotJoined) {
  const std::vector<std::string> lines = multi30k_lines("test_2016_flickr.de.gz", 6);
  const std::vector<std::string> first(lines.begin(), lines.begin() + 3), second(lines.begin() + 3, lines.end());
  QueueOptions options;
  options.threads = 1;
  options.max_batch_sentences = 6;
  options.max_wait_ms = 300;
  TranslationQueue queue(*scorer_, model_->src_vocab, search_, options);
  QueuedTranslation greedy, beam;
  std::thread a([&] { greedy = queue.translate(first, 1, 1); });
  std::thread b([&] { beam = queue.translate(second, 3, 1); });
  a.join();
  b.join();
  expect_same_nbest(greedy.results, alone(first, 1));
  expect_same_nbest(beam.results, alone(second, 3));
  EXPECT_EQ(queue.stats().searches, 2u);
}

// A greedy request without scores may leave them NaN (its search picks best tokens alone), unless it joins
// a request that wants them; the translations are the same either way.
TEST_F(TranslationQueueTest, GreedyRequestsWithoutScoresJoinThoseWithScores) {
  const std::vector<std::string> lines = multi30k_lines("test_2016_flickr.de.gz", 6);
  const std::vector<std::string> first(lines.begin(), lines.begin() + 3), second(lines.begin() + 3, lines.end());
  const std::vector<NBest> expected_first = alone(first, 1), expected_second = alone(second, 1);
  QueueOptions options;
  options.threads = 1;
  options.max_batch_sentences = 6;
  options.max_wait_ms = 300;
  TranslationQueue queue(*scorer_, model_->src_vocab, search_, options);
  const QueuedTranslation lone = queue.translate(first, 1, 1, false);
  ASSERT_EQ(lone.results.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(lone.results[i].at(0).tokens, expected_first[i].at(0).tokens) << "line " << i;
    EXPECT_TRUE(std::isnan(lone.results[i][0].score)) << "line " << i;
  }
  QueuedTranslation without, with;
  std::thread a([&] { without = queue.translate(first, 1, 1, false); });
  std::thread b([&] { with = queue.translate(second, 1, 1, true); });
  a.join();
  b.join();
  expect_same_nbest(without.results, expected_first);
  expect_same_nbest(with.results, expected_second);
  EXPECT_EQ(queue.stats().searches, 2u);  // the lone request's, then one for both
}

TEST_F(TranslationQueueTest, ReportsRepairedLinesAndAnswersEmptyOnes) {
  QueueOptions options;
  options.threads = 1;
  options.max_wait_ms = 0;
  options.max_input_length = 3;
  TranslationQueue queue(*scorer_, model_->src_vocab, search_, options);
  const QueuedTranslation done = queue.translate({"", "Ein Hund l\xC3\xA4uft \xFF im Park und springt."}, 2, 1);
  ASSERT_EQ(done.results.size(), 2u);
  ASSERT_EQ(done.results[0].size(), 1u);
  EXPECT_TRUE(done.results[0][0].tokens.empty());
  ASSERT_EQ(done.warnings.size(), 2u);  // invalid UTF-8 repaired, the line cut to 3 subwords
  EXPECT_EQ(done.warnings[0].line, 1u);
  EXPECT_EQ(done.warnings[1].line, 1u);
}

}  // namespace
}  // namespace ferry
