// Translating with several searches at once: each worker is a thread of its own with one OpenMP thread (or
// a share of them) and its own networks (buffers and primitives; the weights are shared), and takes the
// batches of a chunk one at a time. A search
// step runs a dozen small parallel regions; between them the threads of one search wait for each other, and
// on a machine where something else runs they wait for the scheduler. Workers share no step: they never
// wait for each other within a batch, and one that loses its core holds up only its own batches.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "translate/model_set.h"
#include "translate/translator.h"

namespace ferry {

// What a worker translates with. Primitives and packed weights are made for the OpenMP thread count of the
// thread that loads the models: every worker's is the same.
struct WorkerTranslator {
  std::unique_ptr<ModelSet> models;
  std::unique_ptr<Translator> translator;
};

class TranslationWorkers {
 public:
  // Starts `workers` threads of `threads_each` OpenMP threads: the first translates with `first` at once,
  // each other one with what make() returns on its own thread (ModelSet::sharing_weights of the first's),
  // from when that returns. A worker whose make() fails logs a warning and stops; the others do its share.
  TranslationWorkers(WorkerTranslator first, int workers, int threads_each, std::function<WorkerTranslator()> make);
  ~TranslationWorkers();
  TranslationWorkers(const TranslationWorkers&) = delete;
  TranslationWorkers& operator=(const TranslationWorkers&) = delete;

  // As Translator::translate. The batches are the translator's, but a chunk of fewer sentences than the
  // workers' batches hold is cut into one batch per worker, so that none sits idle. Rethrows the first
  // error of a batch.
  std::vector<NBest> translate(const std::vector<TokenIds>& sources, uint64_t first_key = 0);

 private:
  void work(size_t index, int threads);

  std::function<WorkerTranslator()> make_;
  std::vector<WorkerTranslator> translators_;
  std::vector<std::thread> threads_;

  std::mutex mutex_;
  std::condition_variable start_, finished_;
  uint64_t round_ = 0;                                // counts the chunks handed out
  const std::vector<SourceBatch>* batches_ = nullptr;  // the chunk's batches
  std::vector<NBest>* results_ = nullptr;
  size_t next_batch_ = 0, batches_done_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
};

}  // namespace ferry
