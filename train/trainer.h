// The training loop: epochs of shuffled token-budget batches (or a language model's stream, training.bptt,
// with the recurrent state carried from batch to batch); forward, backward, clipping and an optimizer
// step per batch; learning-rate schedule; periodic validation, best-model and checkpoint files; limits on
// epochs, steps and time; early stopping; graceful stop on SIGINT/SIGTERM; resume from checkpoint.bin.
#pragma once

#include <memory>
#include <string>

#include "core/optim/optimizer.h"
#include "data/batcher.h"
#include "data/stream_batches.h"
#include "model/seq2seq.h"
#include "train/checkpoint.h"
#include "train/gradient_exchange.h"
#include "train/lr_schedule.h"
#include "train/metrics_log.h"
#include "train/process_group.h"
#include "train/run_config.h"
#include "train/run_lock.h"
#include "train/training_data.h"
#include "train/validator.h"
#include "util/timing.h"

namespace ferry {

// Where a run's files go.
std::string checkpoint_path(const RunConfig& config);
std::string model_path(const RunConfig& config);

// Creates training.model_dir (InputError naming it if it cannot be), takes its lock for the caller to hold for
// the run's life (InputError if another run holds it or the folder is not writable), and removes from it the
// temporary files of runs killed while writing model.bin or checkpoint.bin.
RunLock prepare_model_dir(const RunConfig& config);

// ConfigError naming every key that differs when `checkpoint` belongs to a run with another config
// (see incompatible_changes).
void check_resumable(const Checkpoint& checkpoint, const RunConfig& config);

class Trainer {
 public:
  // Builds the model and optimizer, fresh or continuing `checkpoint` (see check_resumable; ConfigError if
  // the checkpoint was trained with other subword models). The model folder must exist (prepare_model_dir).
  // In a group of several processes (mpirun), each trains on its share of every batch and the gradients
  // are summed, so that every process makes the same update; process 0 alone validates and writes files.
  Trainer(const RunConfig& config, const TrainingData& data, const Checkpoint* checkpoint,
          const ProcessGroup& group);

  // Trains until a limit, early stopping or a stop signal; at once when the checkpoint's run had stopped
  // early. Returns the exit status.
  int run();

  const TrainingProgress& progress() const { return progress_; }

 private:
  enum class Outcome { kContinue, kFinished, kEarlyStopped, kInterrupted };

  void resume(const Checkpoint& checkpoint);
  // Whether early stopping's patience is used up.
  bool patience_exhausted() const;
  // The batches of the current epoch: how many, and the next one.
  int64_t batches_in_epoch();
  // This process's share of the next batch (the whole batch in a single process), and the whole batch's
  // target tokens.
  struct BatchShare {
    Batch batch;
    int64_t batch_tokens = 0;
  };
  BatchShare next_share();
  // The carried state as checkpoint entries, and back.
  std::vector<NamedTensor> carried_entries() const;
  void restore_carried(const std::vector<NamedTensor>& entries);
  Outcome next_outcome();
  // One batch: false when it was skipped for a non-finite loss or gradient.
  bool train_batch(const BatchShare& share);
  // This process's share of the batch's loss and gradient, which is of (share loss / batch tokens).
  LossSum train_share(const BatchShare& share);
  // The other processes learn process 0's validation outcome, and every process's parameters are
  // checked to be the same.
  void share_validation();
  void log_progress();
  // periodic: counts for the schedule and early stopping; otherwise only for choosing model.bin.
  void validate(bool periodic);
  void write_checkpoint();
  double elapsed() const { return progress_.elapsed_sec + session_.seconds(); }

  const RunConfig& config_;
  const TrainingData& data_;
  const ProcessGroup& group_;
  std::string checkpoint_path_, model_path_;
  Seq2Seq model_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<WeightAverage> average_;  // with training.ema_decay
  LrSchedule schedule_;
  Batcher batcher_;
  std::unique_ptr<StreamBatches> stream_;  // with training.bptt
  DecoderState carried_;                   // the stream's state after the last batch; empty: zeros
  Validator validator_;
  std::unique_ptr<GradientExchange> exchange_;  // in a group of several processes
  std::unique_ptr<MetricsLog> metrics_;
  BatchPlan plan_;
  int64_t plan_epoch_ = 0;
  TrainingProgress progress_;
  Stopwatch session_;

  // Since the last log line.
  double window_loss_ = 0;
  int64_t window_tokens_ = 0, window_steps_ = 0;
  double window_start_ = 0;
  double last_grad_norm_ = 0;
  // Several processes: one of them was asked to stop, so all stop here; process 0's elapsed().
  bool stop_agreed_ = false;
  double agreed_elapsed_ = 0;
};

}  // namespace ferry
