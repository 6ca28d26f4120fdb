// Times training steps of a model (by default the reference model, configs/de-en.yaml) on Multi30k batches of
// about batch_tokens target tokens, split by part, with the achieved GFLOP/s of each part and of the whole
// step next to the machine's matmul peak measured by the same program. Median of repeated runs.
// bench_train_step [--config configs/de-en.yaml] [--set key=value ...] [--runs 5] [--steps 20]
#include <cstdio>
#include <map>
#include <memory>

#include "bench/support/command_line.h"
#include "bench/support/flop_count.h"
#include "bench/support/matmul_peak.h"
#include "core/context.h"
#include "core/optim/adam.h"
#include "core/optim/clip.h"
#include "core/optim/weight_average.h"
#include "core/profiler.h"
#include "data/batch.h"
#include "data/batcher.h"
#include "model/seq2seq.h"
#include "train/run_config.h"
#include "train/training_data.h"
#include "util/error.h"
#include "util/memory.h"
#include "util/program.h"
#include "util/timing.h"

namespace {

using ferry::Part;

struct RunResult {
  double seconds = 0;
  double tokens = 0;
  std::map<Part, double> part_seconds;
};

void print_row(const char* name, double ms, double gflop, double peak) {
  if (gflop > 0) {
    std::printf("%-20s %9.2f %9.3f %9.1f %7.1f%%\n", name, ms, gflop, gflop / ms * 1e3, 100 * gflop / ms * 1e3 / peak);
  } else {
    std::printf("%-20s %9.2f %9s %9s %8s\n", name, ms, "-", "-", "-");
  }
}

}  // namespace

int main(int argc, char** argv) {
  ferry::retain_freed_memory();
  return ferry::run_program("bench_train_step", [&] {
    namespace po = boost::program_options;
    po::options_description options = ferry::bench_options("bench_train_step [options]");
    options.add_options()
        ("config", po::value<std::string>()->default_value("configs/de-en.yaml"), "model and data config")
        ("set", po::value<std::vector<std::string>>()->composing(), "config override key=value (repeatable)")
        ("runs", po::value<int>()->default_value(5), "timed runs (the median is reported)")
        ("steps", po::value<int>()->default_value(20), "training steps per run")
        ("warmup", po::value<int>()->default_value(5), "untimed steps first");
    const auto parsed = ferry::parse_bench_options(argc, argv, options);
    if (!parsed) return 0;
    const po::variables_map& args = *parsed;
    const auto overrides = args.count("set") ? args["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    const ferry::RunConfig config = ferry::load_run_config(args["config"].as<std::string>(), overrides, true);
    ferry::Context::set_threads(static_cast<int>(config.training.threads));
    const ferry::TrainingData data = ferry::prepare_training_data(config, ferry::Context::threads());

    ferry::Seq2Seq model(config.model, data.src_vocab.vocab_size(), data.tgt_vocab.vocab_size(), 1);
    ferry::Adam adam(model.params(), {static_cast<float>(config.training.optimizer.lr)});
    // training.ema_decay: the weight average's update counts in the optimizer part, as in the trainer.
    std::unique_ptr<ferry::WeightAverage> average;
    if (config.training.ema_decay > 0)
      average = std::make_unique<ferry::WeightAverage>(model.params(), config.training.ema_decay);
    ferry::Batcher batcher(data.train, config.training.batch_tokens, 1);
    const ferry::BatchPlan plan = batcher.plan(1);
    const int steps = args["steps"].as<int>();

    size_t next = 0;
    double flops_per_run = 0;
    ferry::ForwardFlops part_flops;
    const auto step = [&](bool count) {
      ferry::Batch batch;
      {
        ferry::ProfileScope scope(Part::kData);
        batch = ferry::make_batch(data.train, plan[next++ % plan.size()]);
      }
      model.set_dropout_step(next);
      model.params().zero_grads();
      const ferry::LossSum loss = model.forward(batch, true);
      model.backward();
      {
        ferry::ProfileScope scope(Part::kOptimizer);
        const double norm = ferry::global_grad_norm(model.params());
        adam.step(ferry::clip_factor(norm, config.training.clip_norm), average.get());
      }
      if (count) {
        const ferry::ForwardFlops f = ferry::forward_flops(config.model, data.tgt_vocab.vocab_size(), batch);
        part_flops.encoder += 3 * f.encoder;
        part_flops.bridge += 3 * f.bridge;
        part_flops.decoder_rnn += 3 * f.decoder_rnn;
        part_flops.attention += 3 * f.attention;
        part_flops.output += 3 * f.output;
        flops_per_run += 3 * f.total();
      }
      return static_cast<double>(loss.tokens);
    };

    const int warmup = args["warmup"].as<int>();
    for (int i = 0; i < warmup; ++i) step(false);
    std::vector<RunResult> runs;
    std::vector<double> tokens_per_sec;
    for (int run = 0; run < args["runs"].as<int>(); ++run) {
      next = static_cast<size_t>(warmup);  // every run times the same batches
      ferry::Profiler::reset();
      ferry::Profiler::set_enabled(true);
      RunResult r;
      part_flops = {};
      flops_per_run = 0;
      ferry::Stopwatch watch;
      for (int s = 0; s < steps; ++s) r.tokens += step(true);
      r.seconds = watch.seconds();
      ferry::Profiler::set_enabled(false);
      for (int p = 0; p < static_cast<int>(Part::kCount); ++p)
        r.part_seconds[static_cast<Part>(p)] = ferry::Profiler::seconds(static_cast<Part>(p));
      runs.push_back(r);
      tokens_per_sec.push_back(r.tokens / r.seconds);
    }
    // Every run covers the same batches, so the FLOPs of the last run stand for all.
    // The peak of the arithmetic the model runs in: f32, or bf16 products into f32.
    const ferry::DType type = ferry::compute_type(config.model.precision);
    const double peak_square = ferry::matmul_gflops(1024, 1024, 1024, type);
    const double peak_output = ferry::matmul_gflops(1024, 512, 8000, type);
    const double peak = std::max(peak_square, peak_output);

    const auto median_of = [&](auto get) {
      std::vector<double> v;
      for (const auto& r : runs) v.push_back(get(r));
      return ferry::spread_of(v).median;
    };
    const double step_ms = median_of([](const RunResult& r) { return r.seconds; }) / steps * 1e3;
    const ferry::Spread speed = ferry::spread_of(tokens_per_sec);
    std::printf("model %s, %lld parameters; threads %d; %d runs x %d steps, batches of ~%lld target tokens\n",
                args["config"].as<std::string>().c_str(), static_cast<long long>(model.params().element_count()),
                ferry::Context::threads(), static_cast<int>(runs.size()), steps,
                static_cast<long long>(config.training.batch_tokens));
    std::printf("%s matmul peak: %.1f GFLOP/s (1024^3), %.1f GFLOP/s (1024x512x8000)\n",
                ferry::precision_name(config.model.precision), peak_square, peak_output);
    std::printf("training: %s target tokens/s\n\n", ferry::format_spread(speed, 0).c_str());
    std::printf("%-20s %9s %9s %9s %8s\n", "part", "ms/step", "GFLOP", "GFLOP/s", "of peak");
    const std::map<Part, double> gflop = {{Part::kEncoder, part_flops.encoder / steps / 1e9},
                                          {Part::kBridge, part_flops.bridge / steps / 1e9},
                                          {Part::kDecoderRnn, part_flops.decoder_rnn / steps / 1e9},
                                          {Part::kAttention, part_flops.attention / steps / 1e9},
                                          {Part::kOutput, part_flops.output / steps / 1e9},
                                          {Part::kOptimizer, 0.0},
                                          {Part::kData, 0.0}};
    double parts_ms = 0;
    for (int p = 0; p < static_cast<int>(Part::kCount); ++p) {
      const Part part = static_cast<Part>(p);
      const double ms = median_of([&](const RunResult& r) { return r.part_seconds.at(part); }) / steps * 1e3;
      parts_ms += ms;
      print_row(ferry::part_name(part), ms, gflop.at(part), peak);
    }
    print_row("other", std::max(0.0, step_ms - parts_ms), 0, peak);
    print_row("whole step", step_ms, flops_per_run / steps / 1e9, peak);
    std::printf("\npeak RSS %.0f MiB\n", ferry::peak_rss_mib());
    return 0;
  });
}
