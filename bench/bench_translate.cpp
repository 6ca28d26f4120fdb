// Translation speed of a model on a test set: sentences/s for greedy and beam 5 at batch sizes 1 and 32
// (median of repeated runs), the time of one decoder step (beam 5, then greedy, over 32 sentences) next to the
// time of its matrix products alone, and, through the translate program itself, the time to the first output
// line and the peak memory.
// bench_translate --model runs/de-en/model.bin [--source corpora/multi30k/test_2016_flickr.de.gz] [--runs 3]
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>

#include "bench/support/command_line.h"
#include "core/context.h"
#include "core/layers/argmax_screen.h"
#include "core/layers/packed_weight.h"
#include "core/layers/quantized_linear.h"
#include "core/layers/rnn_cell.h"
#include "core/ops/matmul.h"
#include "model/model_file.h"
#include "translate/decode_config.h"
#include "translate/input_line.h"
#include "translate/model_scorer.h"
#include "translate/search_options.h"
#include "translate/translator.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/memory.h"
#include "util/program.h"
#include "util/timing.h"

namespace {

// Seconds per call of `work`, median over `runs` timings of `repeats` calls.
template <typename Work>
double seconds_per_call(int runs, int repeats, Work&& work) {
  work();
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    ferry::Stopwatch watch;
    for (int i = 0; i < repeats; ++i) work();
    times.push_back(watch.seconds() / repeats);
  }
  return ferry::spread_of(times).median;
}

// The products of one decoder step over `rows` rows (beam rows of `sentences` sentences, sources of
// `source_steps`): per layer the recurrent cell's x·W_x and h·W_h (the first layer's h·W_h alone where a
// table gives its input products), mlp attention's query projection, the attention scores and context (a
// sum of the memory's projections by the combine layer, hidden wide), the combine layer's h·W_h and the
// output projection, in the model's compute type, each weight packed once as the step's are (PackedWeight);
// with precision int8, the 8-bit products the int8 step runs (the layers' and the query projection), the
// attention in float_precision's type. With `screened_output` the output projection is the 8-bit product of
// an ArgmaxScreen (a greedy step that returns each row's best token alone).
//
// Timed side by side with `step` (the step itself): 7 rounds, each 30 calls of the step and then 30 of the
// products, so that a machine that slows down for a while slows both; the rounds' ratios give the median.
struct StepTiming {
  ferry::Spread step, products, ratio;  // seconds per call, and step / products by round
};
StepTiming time_step_and_products(const ferry::ModelConfig& config, int64_t vocab, int64_t sentences, int64_t beam,
                                  int64_t source_steps, bool screened_output, const std::function<void()>& step) {
  using ferry::Tensor;
  const bool int8 = config.precision == ferry::Precision::kInt8;
  const ferry::DType type = ferry::compute_type(config.precision);
  const int64_t rows = sentences * beam, hidden = config.decoder.hidden;
  const int64_t gates = ferry::gate_count(config.decoder.cell);
  std::vector<Tensor> keep;
  std::vector<std::unique_ptr<ferry::QuantizedLinear>> quantized;
  std::vector<std::function<void()>> products;
  keep.reserve(64);
  // A weight product as the step runs it: on a weight packed once (PackedWeight).
  std::deque<ferry::Parameter> weights;
  std::vector<std::unique_ptr<ferry::PackedWeight>> packed;
  const auto product = [&](int64_t m, int64_t k, int64_t n) {
    ferry::Parameter& weight = weights.emplace_back();
    weight.name = "weight";
    weight.value = Tensor({k, n});
    weight.value.fill(0.5f);
    packed.push_back(std::make_unique<ferry::PackedWeight>(weight, 0, k, false, type));
    ferry::PackedWeight* w = packed.back().get();
    keep.emplace_back(ferry::Dims{m, k}, type);
    keep.emplace_back(ferry::Dims{m, n});
    Tensor &a = keep[keep.size() - 2], &c = keep.back();
    products.push_back([w, a, c]() mutable { w->multiply(a, c); });
  };
  const auto int8_product = [&](int64_t m, int64_t k, int64_t n) {
    Tensor weight({k, n});
    weight.fill(0.5f);
    quantized.push_back(std::make_unique<ferry::QuantizedLinear>(ferry::matrix(weight)));
    ferry::QuantizedLinear* linear = quantized.back().get();
    keep.emplace_back(ferry::Dims{m, k}, ferry::DType::kS8);
    keep.emplace_back(ferry::Dims{m, n});
    Tensor &a = keep[keep.size() - 2], &c = keep.back();
    products.push_back([linear, a, c]() mutable { linear->multiply(a, c); });
  };
  for (int64_t l = 0; l < config.decoder.layers; ++l) {
    // Fed embeddings alone, the first layer takes its input products from a table (TokenInputStep).
    const bool table = l == 0 && !config.decoder.input_feeding;
    const int64_t in = table ? 0 : l == 0 ? config.embedding.tgt_dim + hidden : hidden;
    // The input and recurrent parts apart, as StepwiseRnn runs them.
    if (int8) {
      if (in > 0) int8_product(rows, in, gates * hidden);
      int8_product(rows, hidden, gates * hidden);
    } else {
      if (in > 0) product(rows, in, gates * hidden);
      product(rows, hidden, gates * hidden);
    }
  }
  if (config.decoder.attention == ferry::AttentionKind::kMlp) {
    // mlp attention projects each step's queries (general's keys are projected once per batch instead).
    if (int8) {
      int8_product(rows, hidden, hidden);
    } else {
      product(rows, hidden, hidden);
    }
  }
  if (config.decoder.attention != ferry::AttentionKind::kNone) {
    Tensor queries({sentences, beam, hidden}, type), keys({sentences, hidden, source_steps}, type),
        weights({sentences, beam, source_steps}, type), values({sentences, source_steps, hidden}, type),
        weights_f32({sentences, beam, source_steps}), context({sentences, beam, hidden});
    products.push_back([=] {
      ferry::matmul(ferry::matrix(queries), ferry::matrix(keys), ferry::matrix(weights_f32));
      ferry::matmul(ferry::matrix(weights), ferry::matrix(values), ferry::matrix(context));
    });
    // The combine layer multiplies only h in a step (CombineStep).
    if (int8) {
      int8_product(rows, hidden, hidden);
    } else {
      product(rows, hidden, hidden);
    }
  }
  if (int8 || screened_output) {
    int8_product(rows, hidden, vocab);
  } else {
    product(rows, hidden, vocab);
  }
  const auto run_products = [&] {
    for (auto& p : products) p();
  };
  step();
  run_products();
  std::vector<double> steps, products_times, ratios;
  for (int round = 0; round < 7; ++round) {
    const double s = seconds_per_call(1, 30, step), p = seconds_per_call(1, 30, run_products);
    steps.push_back(s);
    products_times.push_back(p);
    ratios.push_back(s / p);
  }
  return {ferry::spread_of(steps), ferry::spread_of(products_times), ferry::spread_of(ratios)};
}

// Runs the translate program on `input`: seconds to its first output line and in all, and its peak RSS.
// precision: empty for the model's own. A child's peak RSS counts the pages it shared with this process when
// it was forked, so call this while this process is small (before a model is loaded).
struct ProgramRun {
  double first_line = 0, total = 0, peak_rss_mib = 0;
};
ProgramRun run_translate_program(const std::string& program, const std::string& model,
                                 const std::string& precision, const std::string& input) {
  const std::string precision_flag = precision.empty() ? "" : " --precision " + precision;
  const std::string command =
      program + " --model " + model + precision_flag + " --beam-size 5 --batch-size 32 < " + input;
  ferry::Stopwatch watch;
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) throw ferry::Error("cannot run " + program);
  ProgramRun run;
  int c;
  bool first = true;
  while ((c = std::fgetc(out)) != EOF) {
    if (c == '\n' && first) {
      run.first_line = watch.seconds();
      first = false;
    }
  }
  const int status = pclose(out);
  run.total = watch.seconds();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw ferry::Error(command + " failed");
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  run.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  ferry::retain_freed_memory();
  return ferry::run_program("bench_translate", [&] {
    namespace po = boost::program_options;
    po::options_description options = ferry::bench_options("bench_translate --model MODEL [options]");
    options.add_options()
        ("model", po::value<std::string>(), "model.bin (required)")
        ("source", po::value<std::string>()->default_value("corpora/multi30k/test_2016_flickr.de.gz"),
         "source sentences, plain or .gz")
        ("precision", po::value<std::string>(), "f32, bf16 or int8 (default: the model's model.precision)");
    ferry::add_runs_and_threads(options, 3);
    const auto parsed = ferry::parse_bench_options(argc, argv, options);
    if (!parsed) return 0;
    const po::variables_map& args = *parsed;
    if (!args.count("model")) FERRY_THROW(ferry::InputError, "--model is required (bench_translate --help)");
    ferry::Context::set_threads(args["threads"].as<int>());
    const std::string model_path = args["model"].as<std::string>();
    std::optional<ferry::Precision> precision;
    if (args.count("precision")) precision = ferry::parse_precision(args["precision"].as<std::string>());
    std::vector<std::string> lines;
    ferry::LineReader reader(args["source"].as<std::string>());
    for (std::string line; reader.next(line);) lines.push_back(line);
    FERRY_CHECK(!lines.empty(), ferry::InputError, args["source"].as<std::string>() << ": no sentences to translate");

    // The program as users run it: streaming output, model loading included. It runs before this process
    // loads the model (see run_translate_program).
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    char input_template[] = "/tmp/ferry-bench-XXXXXX";
    const int fd = mkstemp(input_template);
    if (fd < 0) throw ferry::Error("cannot create a temporary file");
    close(fd);
    ferry::write_file_atomic(input_template, text);
    const std::string program =
        std::string(argv[0]).substr(0, std::string(argv[0]).rfind('/') + 1) + "translate";
    std::vector<double> first, total;
    double rss = 0;
    for (int run = 0; run < args["runs"].as<int>(); ++run) {
      const ProgramRun r = run_translate_program(
          program, model_path, precision ? ferry::precision_name(*precision) : "", input_template);
      first.push_back(r.first_line);
      total.push_back(r.total);
      rss = std::max(rss, r.peak_rss_mib);
    }
    std::remove(input_template);

    ferry::LoadedModel model = ferry::load_model(model_path, precision);
    const ferry::DecodeConfig decoding = ferry::decode_config_of_model(model.config_yaml, model_path);
    std::vector<ferry::TokenIds> sources;
    for (const std::string& line : lines)
      sources.push_back(ferry::prepare_input(line, model.src_vocab, decoding.max_input_length).ids);
    const auto count = static_cast<double>(sources.size());
    int64_t source_tokens = 0;
    for (const auto& s : sources) source_tokens += static_cast<int64_t>(s.size()) + 1;

    std::printf("model %s (%s), threads %d, %zu sentences\n\n", model_path.c_str(),
                ferry::precision_name(model.config.precision), ferry::Context::threads(), sources.size());
    std::printf("%-8s %-6s %14s\n", "search", "batch", "sentences/s");
    ferry::ModelScorer scorer(*model.network);
    for (const int64_t beam : {1, 5}) {
      for (const int64_t batch : {1, 32}) {
        ferry::SearchOptions search = ferry::search_options(decoding);
        search.beam_size = beam;
        search.scores = false;  // as translate runs without --scores
        ferry::Translator translator(scorer, search, ferry::BatchLimits{batch, 0});
        const std::vector<ferry::TokenIds> warm(
            sources.begin(), sources.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(64, sources.size())));
        translator.translate(warm);
        std::vector<double> rates;
        for (int run = 0; run < args["runs"].as<int>(); ++run) {
          ferry::Stopwatch watch;
          translator.translate(sources);
          rates.push_back(count / watch.seconds());
        }
        std::printf("%-8s %-6lld %s\n", beam == 1 ? "greedy" : "beam 5", static_cast<long long>(batch),
                    ferry::format_spread(ferry::spread_of(rates), 1).c_str());
      }
    }

    // One decoder step over 32 sentences of average length (beam 5, then greedy), against its products alone.
    const int64_t sentences = 32;
    const int64_t source_steps =
        (source_tokens + static_cast<int64_t>(count) / 2) / static_cast<int64_t>(count);
    std::vector<ferry::TokenIds> batch(static_cast<size_t>(sentences), ferry::TokenIds(source_steps - 1, 5));
    std::printf("\n");
    // The greedy step as the search runs it: each row's best token alone (StepScorer::step_best), from an
    // ArgmaxScreen's 8-bit product at f32 where the CPU has one.
    const bool screened =
        model.config.precision == ferry::Precision::kF32 && ferry::ArgmaxScreen::available();
    for (const int64_t beam : {5, 1}) {
      scorer.begin(batch, beam);
      const std::vector<int> tokens(static_cast<size_t>(sentences * beam), ferry::kBosId);
      const auto step = [&] {
        if (beam == 1) {
          scorer.step_best(tokens);
        } else {
          scorer.step(tokens);
        }
      };
      const StepTiming timing = time_step_and_products(model.config, model.network->tgt_vocab(), sentences, beam,
                                                       source_steps, beam == 1 && screened, step);
      std::printf(
          "decoder step, %lld rows (32 sentences, %s), %lld source steps: %.3f ms; its products alone %.3f ms; "
          "ratio %.2f (%.2f-%.2f over %zu side-by-side rounds)\n",
          static_cast<long long>(sentences * beam), beam == 1 ? "greedy" : "beam 5",
          static_cast<long long>(source_steps), timing.step.median * 1e3, timing.products.median * 1e3,
          timing.ratio.median, timing.ratio.min, timing.ratio.max, timing.ratio.runs);
    }

    std::printf(
        "translate program, beam 5, batch 32: first output line after %s s; %s s in all; peak RSS %.0f "
        "MiB (model file %.0f MiB)\n",
        ferry::format_spread(ferry::spread_of(first), 3).c_str(),
        ferry::format_spread(ferry::spread_of(total), 2).c_str(), rss,
        static_cast<double>(ferry::read_file(model_path).size()) / (1024.0 * 1024.0));
    return 0;
  });
}
