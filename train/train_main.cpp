// train --config FILE [--set key=value ...] [--overwrite] [--dry-run]: trains a translation or language
// model, in one process, or data-parallel in several under mpirun.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "core/context.h"
#include "core/layers/rnn_kernel.h"
#include "data/batch.h"
#include "data/batcher.h"
#include "train/checkpoint.h"
#include "train/pair_cache.h"
#include "train/process_group.h"
#include "train/run_config.h"
#include "train/stop_signal.h"
#include "train/trainer.h"
#include "train/training_data.h"
#include "util/error.h"
#include "util/log.h"
#include "util/memory.h"
#include "util/program.h"

namespace {

// What --dry-run reports: the data a run would train on.
void print_data_summary(const ferry::RunConfig& config, const ferry::TrainingData& data) {
  ferry::Batcher batcher(data.train, config.training.batch_tokens,
                         static_cast<uint64_t>(config.training.seed));
  const ferry::BatchPlan plan = batcher.plan(1);
  int64_t cells = 0, tokens = 0, largest_source = 0, largest_target = 0, most_pairs = 0;
  for (const auto& indices : plan) {
    const ferry::Batch batch = ferry::make_batch(data.train, indices);
    cells += batch.size * (batch.src_steps + batch.tgt_steps);
    tokens += batch.src_tokens() + batch.tgt_tokens();
    largest_source = std::max(largest_source, batch.size * batch.src_steps);
    largest_target = std::max(largest_target, batch.size * batch.tgt_steps);
    most_pairs = std::max(most_pairs, batch.size);
  }
  std::cout << "train pairs:       " << data.train.size() << " (" << data.train_stats.lines << " read, "
            << data.train_stats.empty_pairs << " empty, " << data.train.too_long << " too long)\n"
            << "valid pairs:       " << data.valid.size() << "\n"
            << "source vocabulary: " << data.src_vocab.vocab_size() << " pieces (" << config.vocab.src.model
            << ")\n"
            << "target vocabulary: " << data.tgt_vocab.vocab_size() << " pieces (" << config.vocab.tgt.model
            << ")\n"
            << "target tokens:     " << data.train.target_tokens() << " per epoch\n"
            << "batches per epoch: " << plan.size() << " (budget " << config.training.batch_tokens
            << " target tokens)\n"
            << "padding:           " << (cells ? 100.0 * static_cast<double>(cells - tokens) / cells : 0.0)
            << "% of batch cells\n"
            << "largest batches:   " << most_pairs << " pairs; " << largest_source << " source and "
            << largest_target << " target positions with padding (what the RNN workspaces hold)\n";
}

}  // namespace

int main(int argc, char** argv) {
  ferry::watch_stop_signals();
  ferry::retain_freed_memory();
  // Under mpirun: one of several processes (train/process_group.h); otherwise a group of one.
  ferry::ProcessGroup group;
  if (!group.root()) ferry::set_log_level(ferry::LogLevel::kWarning);  // process 0 speaks for the run
  const int status = ferry::run_program("train", [&] {
    namespace po = boost::program_options;
    po::options_description options("train --config FILE [options]\nTrains a translation model");
    options.add_options()("help,h", "print this help")("config,c", po::value<std::string>(),
                                                       "YAML config file (required)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a config key: --set section.key=value (repeatable)")(
        "overwrite", po::bool_switch(), "start afresh even if the model folder holds a checkpoint")(
        "dry-run", po::bool_switch(), "check the config, run the data pipeline, print statistics, stop")(
        "describe-config", po::bool_switch(), "list every config key with its default and stop");
    const po::variables_map args = ferry::parse_options(argc, argv, options);
    if (args.count("help")) {
      std::cout << options << std::endl;
      return 0;
    }
    if (args["describe-config"].as<bool>()) {
      std::cout << ferry::describe_config_keys();
      return 0;
    }
    if (!args.count("config")) throw ferry::InputError("--config FILE is required (see --help)");
    const std::vector<std::string> overrides =
        args.count("set") ? args["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const ferry::RunConfig config =
        ferry::load_run_config(args["config"].as<std::string>(), overrides, /*check_files=*/true);
    group.set_timeout(static_cast<double>(config.training.collective_timeout));
    ferry::rnn_training_kernel();  // a bad FERRY_RNN_KERNEL is refused before anything is read or written

    const bool dry_run = args["dry-run"].as<bool>();
    std::optional<ferry::RunLock> lock;  // held by process 0 until the run ends
    if (!dry_run && group.root()) lock.emplace(ferry::prepare_model_dir(config));
    std::optional<ferry::Checkpoint> checkpoint;
    if (!dry_run && !args["overwrite"].as<bool>() &&
        std::filesystem::exists(ferry::checkpoint_path(config))) {
      checkpoint = ferry::read_checkpoint(ferry::checkpoint_path(config));
      ferry::check_resumable(*checkpoint, config);
    }

    ferry::Context::set_threads(static_cast<int>(config.training.threads));
    // Process 0 trains missing SentencePiece models first; the others then load them.
    if (!group.root()) group.barrier();
    // The encoded pairs are cached in the run's folder; process 0 writes the cache, the others then read it.
    const ferry::PairCacheUse cache{ferry::pair_cache_path(config.training.model_dir), !dry_run && group.root(),
                                    group.root()};
    const ferry::TrainingData data = ferry::prepare_training_data(config, ferry::Context::threads(), cache);
    if (group.root()) group.barrier();
    if (dry_run) {
      print_data_summary(config, data);
      return 0;
    }
    ferry::Trainer trainer(config, data, checkpoint ? &*checkpoint : nullptr, group);
    checkpoint.reset();  // its tensors are in the model and optimizer now
    return trainer.run();
  });
  // A process that failed must not leave the others waiting for it.
  if (status != 0 && group.several()) group.abort(status);
  return status;
}
