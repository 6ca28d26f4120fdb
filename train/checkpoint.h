// checkpoint.bin: the whole state of a training run, so that a resumed run continues exactly as if it had
// never stopped: the model file's entries (config, vocabularies, parameters), the optimizer's state, the
// weight average when the run keeps one, and the run's progress (counters, position in the epoch, schedule
// and early-stopping state).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/archive.h"
#include "core/optim/optimizer.h"
#include "core/optim/weight_average.h"
#include "data/subword.h"
#include "train/lr_schedule.h"

namespace ferry {

constexpr const char* kCheckpointMagic = "FERRYCKP";
constexpr uint32_t kCheckpointFormatVersion = 2;

struct TrainingProgress {
  int64_t step = 0;              // optimizer updates done
  int64_t epoch = 1;             // the epoch being trained (1-based)
  int64_t batch_in_epoch = 0;    // batches of that epoch already done (updated or skipped)
  int64_t skipped_steps = 0;     // batches skipped for a non-finite loss or gradient, in all
  int64_t bad_steps_in_row = 0;  // of those, the ones right before the next batch
  int64_t last_validated_step = -1;  // so that a finished run started again does not validate again
  double elapsed_sec = 0;        // training time of the sessions before this one
  // Early stopping and the plateau schedule follow the periodic validations only.
  double best_metric = std::numeric_limits<double>::quiet_NaN();  // best periodic validation so far
  int64_t validations_without_improvement = 0;
  bool early_stopped = false;  // early stopping ended the run
  // model.bin holds the best of all validations (a run's final one included).
  double best_saved_metric = std::numeric_limits<double>::quiet_NaN();
  LrSchedule::State schedule;
  // EncodedCorpus::fingerprint of the training pairs the run trains on ("" in checkpoints written before it
  // was kept).
  std::string data_fingerprint;
  int64_t processes =
      1;  // the mpirun processes that trained it (1 in checkpoints written before it was kept)
};

struct Checkpoint {
  Archive archive;  // the parameters and vocabularies (see model/model_file.h)
  std::string config_yaml;
  OptimizerState optimizer;
  std::vector<NamedTensor> average;  // WeightAverage::live_state(); empty without training.ema_decay
  TrainingProgress progress;
  // A stream run's (training.bptt) recurrent state carried into its next batch, named kCarriedPrefix + ...;
  // empty otherwise, and at the start of an epoch.
  std::vector<NamedTensor> carried_state;
};

constexpr const char* kCarriedPrefix = "carried/";

void save_checkpoint(const std::string& path, const std::string& config_yaml, const SubwordModel& src_vocab,
                     const SubwordModel& tgt_vocab, const ParamRegistry& params,
                     const OptimizerState& optimizer, const std::vector<NamedTensor>& average,
                     const TrainingProgress& progress, const std::vector<NamedTensor>& carried_state = {});
// ModelFileError naming the file if it is missing, damaged, truncated or incomplete.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace ferry
