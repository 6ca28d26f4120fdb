// Times one f32 LSTM layer's training passes (forward_training then backward) on each training kernel, at the
// reference model's layer shapes, next to the f32 matmul peak measured by the same program. Median of
// repeated runs; the kernels alternate so that drift on a shared machine reaches both alike.
// bench_rnn_layer [--steps 20] [--batch 64] [--runs 7] [--repeats 5] [--threads 0]
#include <cstdio>
#include <string>
#include <vector>

#include "bench/support/command_line.h"
#include "bench/support/fill.h"
#include "bench/support/matmul_peak.h"
#include "core/context.h"
#include "core/layers/rnn.h"
#include "core/layers/rnn_kernel.h"
#include "core/param.h"
#include "util/program.h"
#include "util/timing.h"

namespace {

struct LayerShape {
  const char* name;
  int64_t input, hidden;
};

// The reference model's LSTM layers (configs/de-en.yaml): each encoder direction, then the decoder.
const LayerShape kShapes[] = {
    {"encoder layer 1", 256, 256},
    {"encoder layer 2", 512, 256},
    {"decoder layer 1", 256, 512},
    {"decoder layer 2", 512, 512},
};

}  // namespace

int main(int argc, char** argv) {
  return ferry::run_program("bench_rnn_layer", [&] {
    namespace po = boost::program_options;
    po::options_description options = ferry::bench_options("bench_rnn_layer [options]");
    options.add_options()
        ("steps", po::value<int64_t>()->default_value(20), "time steps T")
        ("batch", po::value<int64_t>()->default_value(64), "rows N")
        ("repeats", po::value<int>()->default_value(5), "forward and backward passes per run");
    ferry::add_runs_and_threads(options, 7);  // runs per kernel
    const auto parsed = ferry::parse_bench_options(argc, argv, options);
    if (!parsed) return 0;
    const po::variables_map& args = *parsed;
    ferry::Context::set_threads(args["threads"].as<int>());
    const int64_t steps = args["steps"].as<int64_t>(), batch = args["batch"].as<int64_t>();
    const int runs = args["runs"].as<int>(), repeats = args["repeats"].as<int>();
    const double peak = ferry::matmul_gflops(1024, 1024, 1024);
    std::printf("f32 LSTM layer training, T %ld, N %ld, threads %d; f32 matmul peak %.1f GFLOP/s (1024^3)\n",
                static_cast<long>(steps), static_cast<long>(batch), ferry::Context::threads(), peak);
    std::printf("%-16s %-10s %10s %10s %9s\n", "layer", "kernel", "ms/pass", "GFLOP/s", "of peak");

    const ferry::RnnTrainingKernel kernels[] = {ferry::RnnTrainingKernel::kPrimitive,
                                                ferry::RnnTrainingKernel::kMatmul};
    for (const LayerShape& shape : kShapes) {
      ferry::ParamRegistry params;
      ferry::RnnLayer layer(params, "lstm", ferry::CellKind::kLstm, shape.input, shape.hidden);
      for (ferry::Parameter* p : params.all()) {
        ferry::fill_uniform(p->value, 0.1f);
        p->changed();
      }
      ferry::Tensor src({steps, batch, shape.input}), dst({steps, batch, shape.hidden});
      ferry::Tensor d_dst({steps, batch, shape.hidden}), d_src({steps, batch, shape.input});
      ferry::Tensor h0({batch, shape.hidden}), c0({batch, shape.hidden});
      ferry::Tensor d_h0({batch, shape.hidden}), d_c0({batch, shape.hidden});
      for (ferry::Tensor* t : {&src, &d_dst, &h0, &c0}) ferry::fill_uniform(*t, 1.0f);
      const auto pass = [&] {
        layer.forward_training(src, h0, c0, dst);
        layer.backward(d_dst, d_src, d_h0, d_c0);
      };
      // Forward: 2·T·N·4H·(I + H); backward twice that.
      const double gflop = 3 * 2.0 * steps * batch * 4 * shape.hidden * (shape.input + shape.hidden) * 1e-9;

      std::vector<std::vector<double>> seconds(2);
      for (ferry::RnnTrainingKernel kernel : kernels) {
        ferry::set_rnn_training_kernel(kernel);
        pass();  // primitives and weight layouts made outside the timing
      }
      for (int run = 0; run < runs; ++run) {
        for (int k = 0; k < 2; ++k) {
          ferry::set_rnn_training_kernel(kernels[k]);
          ferry::Stopwatch watch;
          for (int r = 0; r < repeats; ++r) pass();
          seconds[k].push_back(watch.seconds() / repeats);
        }
      }
      for (int k = 0; k < 2; ++k) {
        const double median = ferry::spread_of(seconds[k]).median;
        std::printf("%-16s %-10s %10.3f %10.1f %8.1f%%\n", shape.name,
                    ferry::rnn_training_kernel_name(kernels[k]), median * 1e3, gflop / median,
                    100 * gflop / median / peak);
      }
    }
    return 0;
  });
}
