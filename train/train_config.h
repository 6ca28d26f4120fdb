// The `training` section: where a run writes, how it optimises, when it validates and stops.
#pragma once

#include <cstdint>
#include <string>

#include "translate/model_location.h"
#include "util/config_reader.h"

namespace ferry {

struct OptimizerConfig {
  std::string name = "adam";  // adam, sgd
  double lr = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double momentum = 0.0;      // sgd only
  double weight_decay = 0.0;
};

struct ScheduleConfig {
  std::string name = "plateau";  // constant, inverse_sqrt, plateau
  double factor = 0.5;           // plateau: lr multiplier when validation stops improving
  int64_t patience = 2;          // plateau: validations without improvement before decaying
  int64_t warmup_steps = 0;      // linear warm-up (every schedule)
  double min_lr = 0.0;           // plateau: never below this
};

struct EarlyStoppingConfig {
  std::string metric = "bleu";  // bleu, chrf, ppl: also the metric that picks the best model
  int64_t patience = 5;         // validations without improvement before stopping (0: never stop early)
};

struct TrainConfig {
  std::string model_dir = kDefaultModelDir;
  int64_t seed = 1;
  int64_t threads = 0;          // 0: every core
  int64_t batch_tokens = 1000;  // padded target tokens per batch
  int64_t bptt = 0;             // a language model's stream: steps per batch, state carried (0: sentences)
  OptimizerConfig optimizer;
  double clip_norm = 1.0;       // 0: no clipping
  double label_smoothing = 0.0;
  double ema_decay = 0.0;       // exponential moving average of the weights for validation and model.bin (0: off)
  ScheduleConfig schedule;
  int64_t max_epochs = 30;      // 0: no limit
  int64_t max_steps = 0;        // 0: no limit
  int64_t max_time = 0;         // seconds, 0: no limit
  int64_t log_every = 50;
  int64_t validate_every = 500;
  EarlyStoppingConfig early_stopping;
  int64_t keep_checkpoints = 0;  // checkpoints of the last validations kept as checkpoint-<step>.bin
  int64_t max_bad_steps = 10;   // consecutive steps with a non-finite loss or gradient before the run fails
  int64_t validation_beam_size = 1;  // beam of the dev-set translations scored by BLEU (1: greedy)
  int64_t collective_timeout = 900;  // seconds a process of an mpirun job waits for the others
  double allreduce_bucket_mb = 8;    // under mpirun: gradients summed in buckets of about this size
};

TrainConfig read_train_config(ConfigReader& training);

// The rows of a stream batch (training.bptt > 0): batch_tokens / bptt, at least one.
int64_t stream_rows(const TrainConfig& config);

}  // namespace ferry
