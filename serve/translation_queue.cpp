#include "serve/translation_queue.h"

#include <algorithm>

#include "core/context.h"
#include "translate/input_line.h"

namespace ferry {

TranslationQueue::TranslationQueue(StepScorer& scorer, const SubwordModel& src_vocab, const SearchOptions& search,
                                   const QueueOptions& options)
    : scorer_(scorer), src_vocab_(src_vocab), search_(search), options_(options) {
  FERRY_CHECK(options.max_batch_sentences >= 1, InputError,
              "--max-batch-sentences must be at least 1, not " << options.max_batch_sentences);
  FERRY_CHECK(options.max_wait_ms >= 0, InputError,
              "--max-wait-ms must not be negative, not " << options.max_wait_ms);
  worker_ = std::thread([this] { work(); });
}

TranslationQueue::~TranslationQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

QueuedTranslation TranslationQueue::translate(const std::vector<std::string>& lines, int64_t beam_size,
                                              int64_t n_best, bool scores) {
  Job job{&lines, beam_size, n_best, scores, std::chrono::steady_clock::now(), {}};
  std::future<QueuedTranslation> result = job.done.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    FERRY_CHECK(!stopping_, Error, "the server is stopping");
    waiting_.push_back(&job);
    ++stats_.requests;
  }
  wake_.notify_all();
  return result.get();
}

QueueStats TranslationQueue::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void TranslationQueue::stop_waiting() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    no_waiting_ = true;
  }
  wake_.notify_all();
}

void TranslationQueue::work() {
  // OpenMP's thread count belongs to the thread that starts parallel regions: this one.
  Context::set_threads(options_.threads);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, nothing left
    const std::vector<Job*> batch = take_batch(lock);
    ++stats_.searches;
    lock.unlock();
    run_batch(batch);
    lock.lock();
  }
}

std::vector<TranslationQueue::Job*> TranslationQueue::take_batch(std::unique_lock<std::mutex>& lock) {
  const auto joins = [this](const Job* job) {
    return job->beam_size == waiting_.front()->beam_size && job->n_best == waiting_.front()->n_best;
  };
  // The sentences of the jobs that may join the oldest: once enough are waiting, or the oldest has waited
  // long enough, the batch starts.
  const auto ready = [&] {
    int64_t sentences = 0;
    for (const Job* job : waiting_)
      if (joins(job)) sentences += static_cast<int64_t>(job->lines->size());
    return stopping_ || no_waiting_ || sentences >= options_.max_batch_sentences;
  };
  const auto deadline = waiting_.front()->arrival + std::chrono::milliseconds(options_.max_wait_ms);
  wake_.wait_until(lock, deadline, ready);

  std::vector<Job*> batch{waiting_.front()};
  waiting_.pop_front();
  auto sentences = static_cast<int64_t>(batch.front()->lines->size());
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const auto size = static_cast<int64_t>((*it)->lines->size());
    if ((*it)->beam_size == batch.front()->beam_size && (*it)->n_best == batch.front()->n_best &&
        sentences + size <= options_.max_batch_sentences) {
      batch.push_back(*it);
      sentences += size;
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  stats_.sentences += static_cast<uint64_t>(sentences);
  return batch;
}

Translator& TranslationQueue::translator_for(int64_t beam_size, int64_t n_best, bool scores) {
  std::unique_ptr<Translator>& translator = translators_[{beam_size, n_best, scores}];
  if (!translator) {
    SearchOptions search = search_;
    search.beam_size = beam_size;
    search.n_best = n_best;
    search.scores = scores;
    BatchLimits limits;
    limits.sentences = options_.max_batch_sentences;
    translator = std::make_unique<Translator>(scorer_, search, limits);
  }
  return *translator;
}

void TranslationQueue::run_batch(const std::vector<Job*>& batch) {
  try {
    std::vector<TokenIds> sources;
    std::vector<QueuedTranslation> answers(batch.size());
    for (size_t j = 0; j < batch.size(); ++j) {
      const std::vector<std::string>& lines = *batch[j]->lines;
      for (size_t i = 0; i < lines.size(); ++i) {
        PreparedInput input = prepare_input(lines[i], src_vocab_, options_.max_input_length);
        for (std::string& message : input.warnings) answers[j].warnings.push_back({i, std::move(message)});
        sources.push_back(std::move(input.ids));
      }
    }
    const bool scores = std::any_of(batch.begin(), batch.end(), [](const Job* job) { return job->scores; });
    std::vector<NBest> results =
        translator_for(batch.front()->beam_size, batch.front()->n_best, scores).translate(sources);
    size_t next = 0;
    for (size_t j = 0; j < batch.size(); ++j) {
      for (size_t i = 0; i < batch[j]->lines->size(); ++i) answers[j].results.push_back(std::move(results[next++]));
      batch[j]->done.set_value(std::move(answers[j]));
    }
  } catch (...) {
    for (Job* job : batch) {
      try {
        job->done.set_exception(std::current_exception());
      } catch (const std::future_error&) {
        // this job's answer was already given
      }
    }
  }
}

}  // namespace ferry
