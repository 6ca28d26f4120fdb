#include "translate/translation_workers.h"

#include <algorithm>

#include "core/context.h"
#include "util/error.h"
#include "util/log.h"

namespace ferry {

TranslationWorkers::TranslationWorkers(WorkerTranslator first, int workers, int threads_each,
                                       std::function<WorkerTranslator()> make)
    : make_(std::move(make)) {
  FERRY_CHECK(workers >= 1 && threads_each >= 1 && first.translator, InternalError,
              workers << " workers of " << threads_each << " threads");
  translators_.resize(static_cast<size_t>(workers));
  translators_.front() = std::move(first);
  for (size_t i = 0; i < translators_.size(); ++i)
    threads_.emplace_back(&TranslationWorkers::work, this, i, threads_each);
}

TranslationWorkers::~TranslationWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void TranslationWorkers::work(size_t index, int threads) {
  Context::set_threads(threads);
  if (index > 0) {
    try {
      translators_[index] = make_();
    } catch (const std::exception& e) {
      log_warning() << "translation worker " << index + 1 << " could not set up its models, the others do its share: "
                    << e.what();
      return;
    }
  }
  std::unique_lock<std::mutex> lock(mutex_);
  uint64_t round_seen = 0;
  for (;;) {
    start_.wait(lock, [&] { return stopping_ || round_ != round_seen; });
    if (stopping_) return;
    round_seen = round_;
    // A worker that wakes late may find the chunk done and gone.
    while (batches_ != nullptr && next_batch_ < batches_->size()) {
      const SourceBatch& batch = (*batches_)[next_batch_++];
      std::vector<NBest>& results = *results_;
      lock.unlock();
      // Each batch fills its own entries of `results`.
      std::exception_ptr error;
      try {
        translators_[index].translator->translate(batch, results);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !error_) error_ = error;
      if (++batches_done_ == batches_->size()) finished_.notify_all();
    }
  }
}

std::vector<NBest> TranslationWorkers::translate(const std::vector<TokenIds>& sources, uint64_t first_key) {
  BatchLimits limits = translators_.front().translator->limits();  // the first worker's is always there
  const auto nonempty = static_cast<int64_t>(
      std::count_if(sources.begin(), sources.end(), [](const TokenIds& s) { return !s.empty(); }));
  const auto workers = static_cast<int64_t>(translators_.size());
  if (nonempty < workers * limits.sentences)
    limits.sentences = std::max<int64_t>(1, (nonempty + workers - 1) / workers);

  std::vector<NBest> results;
  const std::vector<SourceBatch> batches = plan_source_batches(sources, first_key, limits, results);
  if (batches.empty()) return results;
  std::unique_lock<std::mutex> lock(mutex_);
  batches_ = &batches;
  results_ = &results;
  next_batch_ = batches_done_ = 0;
  error_ = nullptr;
  ++round_;
  start_.notify_all();
  finished_.wait(lock, [&] { return batches_done_ == batches.size(); });
  batches_ = nullptr;
  results_ = nullptr;
  if (error_) std::rethrow_exception(error_);
  return results;
}

}  // namespace ferry
