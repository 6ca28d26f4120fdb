// Times one product of the search's kind, x {M, K} · W {K, N} on a packed weight (PackedWeight, as every
// search step multiplies), for several row counts M: with the weight just used (in the caches when it fits),
// and with the weight taken in turn from enough copies that each product reads it from memory, as a search
// step does, whose weights together exceed the caches. Next to the f32 matmul peak measured by the same
// program. Median of repeated runs per row count.
// bench_step_products [--in 512] [--out 7675] [--copies 4] [--runs 7] [--repeats 20] [--threads 0]
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include "bench/support/command_line.h"
#include "bench/support/fill.h"
#include "bench/support/matmul_peak.h"
#include "core/context.h"
#include "core/layers/packed_weight.h"
#include "core/param.h"
#include "util/error.h"
#include "util/program.h"
#include "util/timing.h"

int main(int argc, char** argv) {
  return ferry::run_program("bench_step_products", [&] {
    namespace po = boost::program_options;
    po::options_description options = ferry::bench_options("bench_step_products [options]");
    options.add_options()
        ("in", po::value<int64_t>()->default_value(512), "K: the weight's rows (the decoder's hidden size)")
        ("out", po::value<int64_t>()->default_value(7675), "N: the weight's columns (the target vocabulary)")
        ("copies", po::value<int>()->default_value(4), "weights taken in turn for the products from memory")
        ("repeats", po::value<int>()->default_value(20), "products per timed run");
    ferry::add_runs_and_threads(options, 7);
    const auto parsed = ferry::parse_bench_options(argc, argv, options);
    if (!parsed) return 0;
    const po::variables_map& args = *parsed;
    ferry::Context::set_threads(args["threads"].as<int>());
    const int64_t in = args["in"].as<int64_t>(), out = args["out"].as<int64_t>();
    const int copies = args["copies"].as<int>(), runs = args["runs"].as<int>();
    const int repeats = args["repeats"].as<int>();
    FERRY_CHECK(in >= 1 && out >= 1 && copies >= 1 && runs >= 1 && repeats >= 1, ferry::InputError,
                "--in, --out, --copies, --runs and --repeats must be at least 1");
    const double peak = ferry::matmul_gflops(1024, 1024, 1024);
    std::printf("f32 products {M, %ld} x {%ld, %ld} on packed weights (%.1f MiB each), threads %d; f32 matmul "
                "peak %.1f GFLOP/s (1024^3)\n",
                static_cast<long>(in), static_cast<long>(in), static_cast<long>(out),
                static_cast<double>(in * out) * 4 / (1 << 20), ferry::Context::threads(), peak);
    std::printf("%5s %13s %9s %15s %9s\n", "M", "warm GFLOP/s", "of peak", "memory GFLOP/s", "of peak");

    std::deque<ferry::Parameter> weights(static_cast<size_t>(copies));
    std::vector<std::unique_ptr<ferry::PackedWeight>> packed;
    for (int c = 0; c < copies; ++c) {
      ferry::Parameter& w = weights[static_cast<size_t>(c)];
      w.name = "weight";
      w.value = ferry::Tensor({in, out});
      ferry::fill_uniform(w.value, 1.0f, 17u + static_cast<uint32_t>(c));
      packed.push_back(std::make_unique<ferry::PackedWeight>(w, 0, in, false, ferry::DType::kF32));
    }
    for (const int64_t rows : {1, 4, 8, 16, 24, 32, 64, 160}) {
      ferry::Tensor x({rows, in}), y;
      ferry::fill_uniform(x, 1.0f, 5u);
      for (auto& w : packed) w->multiply(x, y);  // packing and primitives outside the timing
      const auto time = [&](int stride) {
        std::vector<double> seconds;
        for (int run = 0; run < runs; ++run) {
          ferry::Stopwatch watch;
          for (int r = 0; r < repeats; ++r) packed[static_cast<size_t>(r * stride % copies)]->multiply(x, y);
          seconds.push_back(watch.seconds() / repeats);
        }
        return 2.0 * static_cast<double>(rows * in * out) * 1e-9 / ferry::spread_of(seconds).median;
      };
      const double warm = time(0), memory = time(1);
      std::printf("%5ld %13.1f %8.1f%% %15.1f %8.1f%%\n", static_cast<long>(rows), warm, 100 * warm / peak, memory,
                  100 * memory / peak);
    }
    return 0;
  });
}
