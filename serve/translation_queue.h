// Where the server's requests meet the model: callers on any thread queue their lines and wait; one worker
// thread owns the model and searches. Requests that arrive together (within max_wait_ms of the oldest one
// waiting, up to max_batch_sentences sentences, with the same beam size and n-best) are joined into one
// search, so many small clients get the throughput of one large batch. The model is never used by two
// threads at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "serve/translate_request.h"
#include "translate/translator.h"

namespace ferry {

struct QueueOptions {
  int64_t max_batch_sentences = 32;  // sentences joined into one search (a larger request is searched alone)
  int64_t max_wait_ms = 5;           // how long the oldest request waits for others to join it
  int threads = 0;                   // the worker's OpenMP threads (0: every core)
  int64_t max_input_length = 250;    // source subwords kept per line
};

struct QueuedTranslation {
  std::vector<NBest> results;  // one n-best list per line, in order
  std::vector<LineWarning> warnings;
};

struct QueueStats {
  uint64_t requests = 0;
  uint64_t searches = 0;  // translate calls on the model: fewer than requests when requests were joined
  uint64_t sentences = 0;
};

class TranslationQueue {
 public:
  // `search` holds everything but the beam size and n-best, which each request sets. The scorer and the
  // vocabulary must outlive the queue.
  TranslationQueue(StepScorer& scorer, const SubwordModel& src_vocab, const SearchOptions& search,
                   const QueueOptions& options);
  // Translates what is queued, then stops the worker.
  ~TranslationQueue();
  TranslationQueue(const TranslationQueue&) = delete;
  TranslationQueue& operator=(const TranslationQueue&) = delete;

  // Any thread: queues the lines, blocks until they are translated. What the search throws is rethrown here.
  // Without `scores` the hypotheses' scores may be left NaN (SearchOptions::scores): a search that joins
  // requests keeps them when any of its requests asks for them.
  QueuedTranslation translate(const std::vector<std::string>& lines, int64_t beam_size, int64_t n_best,
                              bool scores = true);

  QueueStats stats() const;
  // From now on batches start at once instead of waiting for others to join (the server is stopping).
  void stop_waiting();

 private:
  struct Job {
    const std::vector<std::string>* lines;
    int64_t beam_size;
    int64_t n_best;
    bool scores;
    std::chrono::steady_clock::time_point arrival;
    std::promise<QueuedTranslation> done;
  };

  void work();
  // Waits (the lock held) until the oldest job may start, then takes it and the jobs that join it.
  std::vector<Job*> take_batch(std::unique_lock<std::mutex>& lock);
  void run_batch(const std::vector<Job*>& batch);
  Translator& translator_for(int64_t beam_size, int64_t n_best, bool scores);

  StepScorer& scorer_;
  const SubwordModel& src_vocab_;
  SearchOptions search_;
  QueueOptions options_;
  // By beam size, n-best and scores; the worker thread's only.
  std::map<std::tuple<int64_t, int64_t, bool>, std::unique_ptr<Translator>> translators_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> waiting_;
  bool stopping_ = false;
  bool no_waiting_ = false;
  QueueStats stats_;
  std::thread worker_;
};

}  // namespace ferry
