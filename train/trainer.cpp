#include "train/trainer.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/ops/arith.h"
#include "core/optim/adam.h"
#include "core/optim/clip.h"
#include "core/optim/sgd.h"
#include "model/model_file.h"
#include "train/kept_checkpoints.h"
#include "train/stop_signal.h"
#include "train/validation_verdict.h"
#include "translate/model_location.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"
#include "util/progress_bar.h"

namespace ferry {
namespace {

std::unique_ptr<Optimizer> make_optimizer(ParamRegistry& params, const OptimizerConfig& c) {
  if (c.name == "sgd") {
    return std::make_unique<Sgd>(params,
                                 SgdOptions{static_cast<float>(c.lr), static_cast<float>(c.momentum)});
  }
  return std::make_unique<Adam>(
      params, AdamOptions{static_cast<float>(c.lr), static_cast<float>(c.beta1), static_cast<float>(c.beta2),
                          static_cast<float>(c.epsilon), static_cast<float>(c.weight_decay)});
}

std::string clock_text(double seconds) {
  const auto s = static_cast<int64_t>(seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buffer;
}

std::string number_text(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// Swaps a weight average (if any) in for its life.
class AveragedWeights {
 public:
  explicit AveragedWeights(WeightAverage* average) : average_(average) {
    if (average_) average_->swap();
  }
  ~AveragedWeights() {
    if (average_) average_->swap();
  }
  AveragedWeights(const AveragedWeights&) = delete;
  AveragedWeights& operator=(const AveragedWeights&) = delete;

 private:
  WeightAverage* average_;
};

bool terminal_stderr() { return ::isatty(STDERR_FILENO) == 1; }

// FNV-1a over the bytes of every parameter value, in registration order.
uint64_t parameter_checksum(const ParamRegistry& params) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const Parameter* p : params.all()) {
    const auto* bytes = static_cast<const unsigned char*>(p->value.raw());
    for (size_t i = 0; i < p->value.bytes(); ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  }
  return hash;
}

void clear_progress_line() {
  if (terminal_stderr()) std::cerr << "\r\033[K" << std::flush;
}

}  // namespace

std::string checkpoint_path(const RunConfig& config) { return config.training.model_dir + "/checkpoint.bin"; }

std::string model_path(const RunConfig& config) { return model_file_in(config.training.model_dir); }

RunLock prepare_model_dir(const RunConfig& config) {
  create_folders(config.training.model_dir);
  RunLock lock(config.training.model_dir);
  // Only now: another run's temporaries are its own until its lock is gone.
  for (const std::string& path : {checkpoint_path(config), model_path(config)}) {
    for (const std::string& stale : remove_stale_temporaries(path))
      log_info() << "removed " << stale << ", left by a run killed while writing " << path;
  }
  return lock;
}

void check_resumable(const Checkpoint& checkpoint, const RunConfig& config) {
  const std::string path = checkpoint_path(config);
  const RunConfig saved = read_run_config(ConfigSource::parse(checkpoint.config_yaml, path), false);
  const std::vector<std::string> changes = incompatible_changes(saved, config);
  if (changes.empty()) return;
  std::string list;
  for (const auto& change : changes) list += "\n  " + change;
  FERRY_THROW(ConfigError,
              path << " belongs to a run with another config; these keys differ:" << list
                   << "\nrestore them to continue that run, or pass --overwrite to start afresh");
}

Trainer::Trainer(const RunConfig& config, const TrainingData& data, const Checkpoint* checkpoint,
                 const ProcessGroup& group)
    : config_(config),
      data_(data),
      group_(group),
      checkpoint_path_(checkpoint_path(config)),
      model_path_(model_path(config)),
      model_(config.model, data.src_vocab.vocab_size(), data.tgt_vocab.vocab_size(),
             static_cast<uint64_t>(config.training.seed)),
      optimizer_(make_optimizer(model_.params(), config.training.optimizer)),
      average_(config.training.ema_decay > 0
                   ? std::make_unique<WeightAverage>(model_.params(), config.training.ema_decay)
                   : nullptr),
      schedule_(config.training.schedule, config.training.optimizer.lr),
      batcher_(data.train, config.training.batch_tokens, static_cast<uint64_t>(config.training.seed)),
      stream_(config.training.bptt > 0
                  ? std::make_unique<StreamBatches>(data.train.tgt, stream_rows(config.training),
                                                    config.training.bptt)
                  : nullptr),
      validator_(config, data) {
  FERRY_CHECK(!group.several() || !stream_, ConfigError,
              "training.bptt: a language model's stream trains in one process; start train without mpirun");
  if (group_.root()) set_log_file(config.training.model_dir + "/train.log");
  if (group.several()) {
    exchange_ = std::make_unique<GradientExchange>(
        group, model_.params().all(), static_cast<int64_t>(config.training.allreduce_bucket_mb * (1 << 20)));
    if (group.root()) {
      const size_t buckets = exchange_->bucket_count();
      log_info() << "gradients summed over " << group.size() << " processes in " << buckets
                 << (buckets == 1 ? " bucket, " : " buckets, ")
                 << (exchange_->overlapped() ? "each started as soon as backward has finished it"
                                             : "after backward (the MPI library lacks MPI_THREAD_MULTIPLE)");
    }
  }
  progress_.data_fingerprint = data.train.fingerprint();
  if (checkpoint) resume(*checkpoint);
  progress_.processes = group_.size();
  agreed_elapsed_ = progress_.elapsed_sec;
  if (group_.root()) {
    metrics_ =
        std::make_unique<MetricsLog>(config.training.model_dir + "/metrics.jsonl",
                                     checkpoint ? std::optional<int64_t>(progress_.step) : std::nullopt);
  }
}

void Trainer::resume(const Checkpoint& checkpoint) {
  check_resumable(checkpoint, config_);
  if (checkpoint.archive.blob("vocab/src") != data_.src_vocab.serialized() ||
      checkpoint.archive.blob("vocab/tgt") != data_.tgt_vocab.serialized()) {
    FERRY_THROW(ConfigError, checkpoint_path_ << " was trained with other SentencePiece models than "
                                              << config_.vocab.src.model << " and " << config_.vocab.tgt.model
                                              << "; pass --overwrite to start afresh");
  }
  const std::string fingerprint = data_.train.fingerprint();
  if (!checkpoint.progress.data_fingerprint.empty() && checkpoint.progress.data_fingerprint != fingerprint) {
    FERRY_THROW(ConfigError, "the training pairs read from "
                                 << config_.data.train.src << " and " << config_.data.train.tgt
                                 << " are not those " << checkpoint_path_ << " was trained on (fingerprint "
                                 << fingerprint << ", saved " << checkpoint.progress.data_fingerprint
                                 << "): restore the files, or pass --overwrite to "
                                    "start afresh");
  }
  load_parameters(checkpoint.archive, model_.params());
  optimizer_->set_state(checkpoint.optimizer);
  if (average_) average_->set_state(checkpoint.average);
  progress_ = checkpoint.progress;
  progress_.data_fingerprint = fingerprint;
  restore_carried(checkpoint.carried_state);
  schedule_.set_state(progress_.schedule);
  log_info() << "resuming from " << checkpoint_path_ << " at step " << progress_.step << " (epoch "
             << progress_.epoch << ", " << progress_.batch_in_epoch << " batches into it)";
  if (checkpoint.progress.processes != group_.size()) {
    log_info() << "the run was trained by " << checkpoint.progress.processes << " process"
               << (checkpoint.progress.processes == 1 ? "" : "es") << " and goes on with " << group_.size()
               << ": the same batches, their shares summed in another order";
  }
  if (progress_.early_stopped && !patience_exhausted()) {
    progress_.early_stopped = false;
    log_info() << "early stopping had ended this run; continuing with training.early_stopping.patience = "
               << config_.training.early_stopping.patience;
  }
}

bool Trainer::patience_exhausted() const {
  const int64_t patience = config_.training.early_stopping.patience;
  return patience > 0 && progress_.validations_without_improvement >= patience;
}

int64_t Trainer::batches_in_epoch() {
  if (stream_) return stream_->size();
  if (plan_epoch_ != progress_.epoch) {
    plan_ = batcher_.plan(progress_.epoch);
    plan_epoch_ = progress_.epoch;
  }
  return static_cast<int64_t>(plan_.size());
}

Trainer::BatchShare Trainer::next_share() {
  BatchShare share;
  if (stream_) {
    if (progress_.batch_in_epoch == 0) carried_ = DecoderState();  // each epoch starts from zeros
    share.batch = stream_->batch(progress_.batch_in_epoch);
    share.batch_tokens = share.batch.tgt_tokens();
    return share;
  }
  batches_in_epoch();  // the current epoch's plan
  const std::vector<size_t>& indices = plan_[static_cast<size_t>(progress_.batch_in_epoch)];
  // Each process reads only the pairs of its own share.
  share.batch = make_batch(data_.train, share_of(indices, group_.rank(), group_.size()));
  share.batch_tokens = target_tokens(data_.train, indices);
  return share;
}

std::vector<NamedTensor> Trainer::carried_entries() const {
  std::vector<NamedTensor> entries;
  for (size_t j = 0; j < carried_.h.size(); ++j) {
    entries.push_back({std::string(kCarriedPrefix) + "h/" + std::to_string(j), carried_.h[j]});
    if (!carried_.c[j].empty())
      entries.push_back({std::string(kCarriedPrefix) + "c/" + std::to_string(j), carried_.c[j]});
  }
  return entries;
}

void Trainer::restore_carried(const std::vector<NamedTensor>& entries) {
  carried_ = DecoderState();
  if (entries.empty()) return;
  const auto find = [&](const std::string& name) -> const Tensor* {
    for (const NamedTensor& entry : entries)
      if (entry.name == kCarriedPrefix + name) return &entry.value;
    return nullptr;
  };
  const bool lstm = has_cell_state(config_.model.decoder.cell);
  for (int64_t j = 0; j < config_.model.decoder.layers; ++j) {
    const Tensor* h = find("h/" + std::to_string(j));
    const Tensor* c = lstm ? find("c/" + std::to_string(j)) : nullptr;
    if (!h || (lstm && !c)) {
      FERRY_THROW(ModelFileError, checkpoint_path_ << " lacks layer " << j << "'s carried state");
    }
    carried_.h.push_back(h->clone());
    carried_.c.push_back(c ? c->clone() : Tensor());
  }
}

Trainer::Outcome Trainer::next_outcome() {
  if (progress_.batch_in_epoch >= batches_in_epoch()) {
    ++progress_.epoch;
    progress_.batch_in_epoch = 0;
  }
  const TrainConfig& t = config_.training;
  if (group_.several() ? stop_agreed_ : stop_requested()) return Outcome::kInterrupted;
  if (progress_.early_stopped) return Outcome::kEarlyStopped;
  if (t.max_steps > 0 && progress_.step >= t.max_steps) return Outcome::kFinished;
  const double now = group_.several() ? agreed_elapsed_ : elapsed();
  if (t.max_time > 0 && now >= static_cast<double>(t.max_time)) return Outcome::kFinished;
  if (t.max_epochs > 0 && progress_.epoch > t.max_epochs) return Outcome::kFinished;
  return Outcome::kContinue;
}

int Trainer::run() {
  if (progress_.early_stopped) {
    log_info() << "this run already stopped early at step " << progress_.step << " (no improvement in "
               << progress_.validations_without_improvement << " validations); its best model is "
               << model_path_ << ". Nothing to do; pass --overwrite to start afresh";
    return kExitOk;
  }
  arm_stop_signals();
  log_info() << "model: " << model_.params().element_count() << " parameters in " << model_.params().size()
             << " tensors; " << batches_in_epoch() << " batches per epoch"
             << (stream_ ? " (a stream of " + std::to_string(stream_->rows()) + " rows x " +
                               std::to_string(config_.training.bptt) + " steps per batch)"
                         : std::string());
  window_start_ = elapsed();
  Outcome outcome;
  while ((outcome = next_outcome()) == Outcome::kContinue) {
    const bool updated = train_batch(next_share());
    ++progress_.batch_in_epoch;
    if (terminal_stderr()) {
      std::cerr << "\repoch " << progress_.epoch << " "
                << progress_bar(progress_.batch_in_epoch, batches_in_epoch(), 30) << " batches, step "
                << progress_.step << std::flush;
    }
    if (!updated) continue;
    if (progress_.step % config_.training.log_every == 0) log_progress();
    if (progress_.step % config_.training.validate_every == 0) {
      validate(true);
      write_checkpoint();
      if (config_.training.keep_checkpoints > 0 && group_.root())
        keep_checkpoint(checkpoint_path_, progress_.step, config_.training.keep_checkpoints);
    }
  }
  clear_progress_line();
  if (window_steps_ > 0) log_progress();  // the steps since the last log line
  if (outcome == Outcome::kInterrupted) {
    write_checkpoint();
    log_info() << "stopped by signal " << stop_signal_number() << " at step " << progress_.step << "; "
               << checkpoint_path_ << " written: run the same command to continue";
    return kExitOk;
  }
  if (progress_.last_validated_step != progress_.step) validate(false);
  write_checkpoint();
  const double epochs =
      static_cast<double>(progress_.epoch - 1) +
      static_cast<double>(progress_.batch_in_epoch) / static_cast<double>(batches_in_epoch());
  log_info() << "training " << (outcome == Outcome::kEarlyStopped ? "stopped early" : "finished")
             << " at step " << progress_.step << " (" << number_text("%.2f", epochs) << " epochs) after "
             << clock_text(elapsed()) << "; " << progress_.skipped_steps
             << " batches skipped for a non-finite loss or gradient; best model in " << model_path_
             << "; peak RSS " << number_text("%.0f", peak_rss_mib()) << " MiB";
  return kExitOk;
}

LossSum Trainer::train_share(const BatchShare& share) {
  const float smoothing = static_cast<float>(config_.training.label_smoothing);
  const Batch& batch = share.batch;
  if (!group_.several()) {
    const LossSum loss = model_.forward(batch, true, smoothing, stream_ ? &carried_ : nullptr);
    if (std::isfinite(loss.loss)) model_.backward();
    return loss;
  }
  // The share's gradient is of (share loss / share tokens); the sum over processes must be of
  // (batch loss / batch tokens). The sums start while backward runs, bucket by bucket.
  exchange_->begin(static_cast<float>(batch.tgt_tokens()) / static_cast<float>(share.batch_tokens));
  LossSum loss;
  if (batch.size > 0) {
    loss = model_.forward(batch, true, smoothing);
    if (std::isfinite(loss.loss)) {
      model_.backward([&](size_t first, size_t count) { exchange_->done(first, count); });
    }
  }
  // One small sum: the loss (NaN anywhere makes it NaN, and the step is skipped), its tokens, whether any
  // process was asked to stop, and process 0's clock (the run's, for training.max_time).
  double totals[4] = {loss.loss, static_cast<double>(loss.tokens), stop_requested() ? 1.0 : 0.0,
                      group_.root() ? elapsed() : 0.0};
  group_.sum(totals, 4);
  loss.loss = totals[0];
  loss.tokens = static_cast<int64_t>(totals[1]);
  stop_agreed_ = totals[2] > 0;
  agreed_elapsed_ = totals[3];
  exchange_->finish();
  return loss;
}

bool Trainer::train_batch(const BatchShare& share) {
  // Each process draws its own dropout masks; one process draws those of the run it always drew.
  const auto draw = static_cast<uint64_t>(progress_.step + progress_.skipped_steps + 1);
  model_.set_dropout_step(draw * static_cast<uint64_t>(group_.size()) + static_cast<uint64_t>(group_.rank()));
  model_.params().zero_grads();
  const LossSum loss = train_share(share);
  double norm = std::nan("");
  if (std::isfinite(loss.loss)) norm = global_grad_norm(model_.params());
  if (!std::isfinite(loss.loss) || !std::isfinite(norm)) {
    carried_ = DecoderState();  // the stream goes on from zeros rather than from a non-finite state
    ++progress_.skipped_steps;
    ++progress_.bad_steps_in_row;
    clear_progress_line();
    log_warning() << "step " << progress_.step + 1 << ": non-finite "
                  << (std::isfinite(loss.loss) ? "gradient" : "loss") << ", batch skipped ("
                  << progress_.bad_steps_in_row << " in a row)";
    if (progress_.bad_steps_in_row >= config_.training.max_bad_steps) {
      FERRY_THROW(Error, progress_.bad_steps_in_row
                             << " consecutive steps had a non-finite loss or gradient (limit "
                             << "training.max_bad_steps = " << config_.training.max_bad_steps
                             << "); stopping. Try a lower learning rate or clip_norm");
    }
    return false;
  }
  progress_.bad_steps_in_row = 0;
  optimizer_->set_learning_rate(static_cast<float>(schedule_.lr(progress_.step + 1)));
  const double clip = config_.training.clip_norm;
  optimizer_->step(clip > 0 ? clip_factor(norm, clip) : 1.0f, average_.get());
  ++progress_.step;
  window_loss_ += loss.loss;
  window_tokens_ += loss.tokens;
  ++window_steps_;
  last_grad_norm_ = norm;
  return true;
}

void Trainer::log_progress() {
  const double now = elapsed();
  const double loss = window_tokens_ ? window_loss_ / static_cast<double>(window_tokens_) : 0.0;
  const double tokens_per_sec =
      now > window_start_ ? static_cast<double>(window_tokens_) / (now - window_start_) : 0;
  const double lr = optimizer_->learning_rate();
  clear_progress_line();
  log_info() << "epoch " << progress_.epoch << " step " << progress_.step << " | loss "
             << number_text("%.4f", loss) << " | ppl " << number_text("%.2f", std::exp(loss)) << " | "
             << number_text("%.0f", tokens_per_sec) << " tok/s | lr " << number_text("%.2e", lr)
             << " | gnorm " << number_text("%.3f", last_grad_norm_) << " | " << clock_text(now);
  JsonLine line;
  line.add("step", progress_.step).add("epoch", progress_.epoch).add("loss", loss).add("ppl", std::exp(loss));
  line.add("tokens_per_sec", tokens_per_sec, 5).add("lr", lr).add("grad_norm", last_grad_norm_);
  line.add("elapsed_sec", now, 7).add("skipped_steps", progress_.skipped_steps);
  if (metrics_) metrics_->write(line);
  window_loss_ = 0;
  window_tokens_ = 0;
  window_steps_ = 0;
  window_start_ = now;
}

void Trainer::validate(bool periodic) {
  if (group_.root()) {
    const double started = elapsed();
    // Validation and model.bin see the averaged weights; training goes on from its own.
    AveragedWeights averaged(average_.get());
    const ValidationResult result = validator_.run(model_);
    const bool counted = periodic && validator_.enabled();
    const ValidationVerdict verdict =
        judge_validation(config_.training.early_stopping, result, counted, progress_);
    std::string notes;
    if (counted) {
      if (schedule_.on_validation(verdict.improved)) notes += ", learning rate decayed";
      progress_.schedule = schedule_.state();
      if (verdict.stop) {
        progress_.early_stopped = true;
        notes += ", no improvement in " + std::to_string(progress_.validations_without_improvement) +
                 " validations: stopping";
      }
    }
    if (!validator_.enabled() || verdict.save) {
      save_model(model_path_, config_.yaml, data_.src_vocab, data_.tgt_vocab, model_.params());
      notes += ", best so far: " + model_path_ + " written";
    }
    clear_progress_line();
    if (validator_.enabled()) {
      log_info() << "validation at step " << progress_.step << " | valid ppl "
                 << number_text("%.3f", result.ppl)
                 << (std::isnan(result.bleu) ? "" : " | valid bleu " + number_text("%.2f", result.bleu))
                 << (std::isnan(result.chrf) ? "" : " | valid chrf " + number_text("%.2f", result.chrf))
                 << " | " << number_text("%.1f", elapsed() - started) << " s" << notes;
      JsonLine line;
      line.add("step", progress_.step).add("valid_ppl", result.ppl);
      if (!std::isnan(result.bleu)) line.add("valid_bleu", result.bleu);  // a language model's has none
      if (!std::isnan(result.chrf)) line.add("valid_chrf", result.chrf);
      metrics_->write(line);
    } else if (!notes.empty()) {
      log_info() << "step " << progress_.step << notes.substr(1);
    }
    progress_.last_validated_step = progress_.step;
    window_start_ += elapsed() - started;  // validation time is not training time
  }
  share_validation();
}

void Trainer::share_validation() {
  if (!group_.several()) return;
  // Early stopping and the schedule follow process 0's validation.
  double outcome[8] = {progress_.best_metric,
                       static_cast<double>(progress_.validations_without_improvement),
                       progress_.early_stopped ? 1.0 : 0.0,
                       progress_.best_saved_metric,
                       static_cast<double>(progress_.last_validated_step),
                       progress_.schedule.scale,
                       static_cast<double>(progress_.schedule.bad_validations),
                       window_start_};
  group_.broadcast(outcome, 8);
  progress_.best_metric = outcome[0];
  progress_.validations_without_improvement = static_cast<int64_t>(outcome[1]);
  progress_.early_stopped = outcome[2] > 0;
  progress_.best_saved_metric = outcome[3];
  progress_.last_validated_step = static_cast<int64_t>(outcome[4]);
  progress_.schedule.scale = outcome[5];
  progress_.schedule.bad_validations = static_cast<int64_t>(outcome[6]);
  schedule_.set_state(progress_.schedule);
  window_start_ = outcome[7];
  // Every process applied the same updates: their parameters must be bitwise the same.
  const std::vector<uint64_t> checksums = group_.gather(parameter_checksum(model_.params()));
  for (size_t r = 1; r < checksums.size(); ++r) {
    if (checksums[r] != checksums[0]) {
      FERRY_THROW(Error, "at step " << progress_.step << " the parameters of process " << r
                                    << " differ from process 0's (checksums " << std::hex << checksums[r]
                                    << " and " << checksums[0] << std::dec << "): stopping the run");
    }
  }
}

void Trainer::write_checkpoint() {
  if (!group_.root()) return;
  TrainingProgress snapshot = progress_;
  snapshot.elapsed_sec = elapsed();
  snapshot.schedule = schedule_.state();
  save_checkpoint(checkpoint_path_, config_.yaml, data_.src_vocab, data_.tgt_vocab, model_.params(),
                  optimizer_->live_state(), average_ ? average_->live_state() : std::vector<NamedTensor>(),
                  snapshot, carried_entries());
}

}  // namespace ferry
