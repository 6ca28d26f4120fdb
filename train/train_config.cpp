#include "train/train_config.h"

#include <algorithm>
#include <limits>

#include "core/context.h"

namespace ferry {

TrainConfig read_train_config(ConfigReader& training) {
  constexpr int64_t kMany = std::numeric_limits<int32_t>::max();
  TrainConfig c;
  c.model_dir = training.text("model_dir", c.model_dir,
                              "folder for model.bin, checkpoint.bin, metrics.jsonl and train.log");
  c.seed = training.integer("seed", c.seed, 0, kMany, "seed of every random choice of the run");
  c.threads = training.integer("threads", c.threads, 0, Context::kMaxThreads, "threads (0: every core)");
  c.batch_tokens = training.integer("batch_tokens", c.batch_tokens, 1, 10000000,
                                    "padded target tokens per batch (sentences x longest target)");

  ConfigReader optimizer = training.section("optimizer", "the optimizer");
  c.optimizer.name = optimizer.choice("name", c.optimizer.name, {"adam", "sgd"}, "optimizer");
  c.optimizer.lr = optimizer.real("lr", c.optimizer.lr, 0.0, 100.0, "learning rate");
  c.optimizer.beta1 = optimizer.real("beta1", c.optimizer.beta1, 0.0, 0.999999, "Adam's first-moment decay");
  c.optimizer.beta2 = optimizer.real("beta2", c.optimizer.beta2, 0.0, 0.999999, "Adam's second-moment decay");
  c.optimizer.epsilon =
      optimizer.real("epsilon", c.optimizer.epsilon, 1e-12, 1.0, "Adam's denominator floor");
  c.optimizer.momentum = optimizer.real("momentum", c.optimizer.momentum, 0.0, 0.999, "SGD momentum");
  c.optimizer.weight_decay = optimizer.real("weight_decay", c.optimizer.weight_decay, 0.0, 1.0,
                                            "decoupled weight decay per step, times lr");

  c.clip_norm =
      training.real("clip_norm", c.clip_norm, 0.0, 1e6, "clip gradients to this global norm (0: off)");
  c.label_smoothing =
      training.real("label_smoothing", c.label_smoothing, 0.0, 0.99, "label smoothing epsilon");
  c.ema_decay = training.real("ema_decay", c.ema_decay, 0.0, 0.999999,
                              "decay of an exponential moving average of the weights, which validation and "
                              "model.bin use (0: off; e.g. 0.9999)");

  ConfigReader schedule = training.section("schedule", "the learning-rate schedule");
  c.schedule.name = schedule.choice("name", c.schedule.name, {"constant", "inverse_sqrt", "plateau"},
                                    "constant; inverse_sqrt (after warm-up); plateau (decay when validation "
                                    "stops improving)");
  c.schedule.factor = schedule.real("factor", c.schedule.factor, 0.01, 1.0, "plateau: decay factor");
  c.schedule.patience = schedule.integer("patience", c.schedule.patience, 0, kMany,
                                         "plateau: validations without improvement before a decay");
  c.schedule.warmup_steps = schedule.integer("warmup_steps", c.schedule.warmup_steps, 0, kMany,
                                             "steps of linear warm-up from 0 to lr");
  c.schedule.min_lr = schedule.real("min_lr", c.schedule.min_lr, 0.0, 100.0, "plateau: lowest learning rate");

  c.bptt = training.integer("bptt", c.bptt, 0, kMany,
                            "a language model's training text as one stream, batches of batch_tokens / bptt "
                            "rows of this many steps, each row's state carried to the next batch and "
                            "detached: truncated backpropagation through time (0: each sentence alone)");
  c.max_epochs =
      training.integer("max_epochs", c.max_epochs, 0, kMany, "stop after this many epochs (0: no limit)");
  c.max_steps =
      training.integer("max_steps", c.max_steps, 0, kMany, "stop after this many steps (0: no limit)");
  c.max_time =
      training.integer("max_time", c.max_time, 0, kMany, "stop after this many seconds (0: no limit)");
  c.log_every = training.integer("log_every", c.log_every, 1, kMany, "steps between log lines");
  c.validate_every =
      training.integer("validate_every", c.validate_every, 1, kMany, "steps between validations");

  ConfigReader early = training.section("early_stopping", "stopping when validation stops improving");
  c.early_stopping.metric =
      early.choice("metric", c.early_stopping.metric, {"bleu", "chrf", "ppl"},
                   "validation metric that picks the best model and drives early stopping");
  c.early_stopping.patience = early.integer("patience", c.early_stopping.patience, 0, kMany,
                                            "validations without improvement before stopping (0: never)");
  c.validation_beam_size = training.integer("validation_beam_size", c.validation_beam_size, 1, 64,
                                            "beam of the dev-set translations that validation scores by BLEU "
                                            "(1: greedy)");
  c.keep_checkpoints =
      training.integer("keep_checkpoints", c.keep_checkpoints, 0, 10000,
                       "keep the checkpoints of the last N validations as checkpoint-<step>.bin "
                       "beside checkpoint.bin, for build/bin/average (0: none)");
  c.collective_timeout =
      training.integer("collective_timeout", c.collective_timeout, 1, kMany,
                       "under mpirun: seconds a process waits for the others (gradient sums, process 0's "
                       "validation) before it ends the job with an error");
  c.allreduce_bucket_mb =
      training.real("allreduce_bucket_mb", c.allreduce_bucket_mb, 0.001, 1024,
                    "under mpirun: gradients are summed over the processes in buckets of about this many MiB, "
                    "each started as soon as backward has finished it");
  c.max_bad_steps =
      training.integer("max_bad_steps", c.max_bad_steps, 1, kMany,
                       "consecutive non-finite steps (skipped) before the run stops with an error");
  return c;
}

int64_t stream_rows(const TrainConfig& config) {
  return config.bptt > 0 ? std::max<int64_t>(1, config.batch_tokens / config.bptt) : 0;
}

}  // namespace ferry
