// generate --model lm.bin [--prefix TEXT] [--n N] ...: N texts sampled from a language model, one per output
// line, the same for the same seed.
#include <iostream>
#include <string>

#include "core/context.h"
#include "translate/input_line.h"
#include "translate/model_set.h"
#include "translate/search_options.h"
#include "translate/text_generator.h"
#include "translate/translate_options.h"
#include "util/error.h"
#include "util/memory.h"
#include "util/program.h"

namespace po = boost::program_options;

namespace {

constexpr int64_t kMaxPrefixTokens = 1000;  // a longer prefix is cut, with a warning

}  // namespace

int main(int argc, char** argv) {
  return ferry::run_program("generate", [&] {
    std::ios::sync_with_stdio(false);
    const ferry::SamplingOptions defaults;
    po::options_description options(
        "generate --model lm.bin [options] > texts.txt\n"
        "Samples texts from a language model (model.type lm), one per output line, each continuing "
        "--prefix;\n"
        "the same seed gives the same texts, whatever the batch size. Temperature first, then top-k, then\n"
        "top-p cut the next-token distribution.\n"
        "Options");
    // clang-format off
    options.add_options()
        ("help,h", po::bool_switch(), "print this help (default: off)")
        ("model,m", po::value<std::string>(), "language model file written by train (required)")
        ("prefix", po::value<std::string>()->default_value(""), "text every sample continues")
        ("n", po::value<int64_t>()->default_value(1), "texts to sample")
        ("max-length", po::value<int64_t>()->default_value(100), "subwords drawn per text at most")
        ("temperature", po::value<double>()->default_value(defaults.temperature),
         "probabilities proportional to p^(1 / temperature)")
        ("top-k", po::value<int64_t>()->default_value(defaults.top_k),
         "draw among the K most probable tokens (0: all)")
        ("top-p", po::value<double>()->default_value(defaults.top_p),
         "then among the fewest most probable tokens whose probability adds up to P (1: all)")
        ("seed", po::value<uint64_t>()->default_value(defaults.seed), "seed of the draws")
        ("batch-size", po::value<int64_t>()->default_value(32), "texts sampled together")
        ("precision", po::value<std::string>(), "f32, bf16 or int8 (default: the model's model.precision)")
        ("threads", po::value<int>()->default_value(0), "threads (0: every core)");
    // clang-format on
    const po::variables_map args = ferry::parse_options(argc, argv, options);
    if (args["help"].as<bool>()) {
      std::cout << options << std::endl;
      return ferry::kExitOk;
    }
    FERRY_CHECK(args.count("model"), ferry::InputError, "--model FILE is required (see --help)");
    ferry::GenerationOptions generation;
    generation.samples = args["n"].as<int64_t>();
    generation.max_length = args["max-length"].as<int64_t>();
    generation.batch_size = args["batch-size"].as<int64_t>();
    generation.sampling.temperature = args["temperature"].as<double>();
    generation.sampling.top_k = args["top-k"].as<int64_t>();
    generation.sampling.top_p = args["top-p"].as<double>();
    generation.sampling.seed = args["seed"].as<uint64_t>();
    FERRY_CHECK(generation.samples >= 0, ferry::InputError,
                "--n must not be negative, not " << generation.samples);
    FERRY_CHECK(generation.max_length >= 0 && generation.max_length <= 100000, ferry::InputError,
                "--max-length must be in [0, 100000], not " << generation.max_length);
    FERRY_CHECK(generation.batch_size >= 1 && generation.batch_size <= 4096, ferry::InputError,
                "--batch-size must be in [1, 4096], not " << generation.batch_size);
    FERRY_CHECK(generation.sampling.temperature > 0, ferry::InputError,
                "--temperature must be positive, not " << generation.sampling.temperature);
    FERRY_CHECK(generation.sampling.top_k >= 0, ferry::InputError,
                "--top-k must not be negative, not " << generation.sampling.top_k);
    FERRY_CHECK(generation.sampling.top_p > 0 && generation.sampling.top_p <= 1, ferry::InputError,
                "--top-p must be in (0, 1], not " << generation.sampling.top_p);
    const int threads = args["threads"].as<int>();
    FERRY_CHECK(threads >= 0 && threads <= ferry::Context::kMaxThreads, ferry::InputError,
                "--threads must be in [0, " << ferry::Context::kMaxThreads << "], not " << threads);
    std::optional<ferry::Precision> precision;
    if (args.count("precision"))
      precision = ferry::parse_option_precision(args["precision"].as<std::string>());

    ferry::Context::set_threads(threads);
    const std::string path = args["model"].as<std::string>();
    ferry::ModelSet models({path}, precision);
    ferry::retain_freed_memory();
    const ferry::LoadedModel& model = models.first();
    FERRY_CHECK(model.config.language_model(), ferry::ModelFileError,
                path << " is a translation model: generate samples from a language model (model.type lm)");
    const ferry::TokenIds prefix = ferry::prepare_reported(args["prefix"].as<std::string>(), model.tgt_vocab,
                                                           kMaxPrefixTokens, "--prefix");
    std::string text;
    for (const ferry::TokenIds& sample : ferry::generate_texts(models.scorer(), prefix, generation)) {
      ferry::TokenIds whole = prefix;
      whole.insert(whole.end(), sample.begin(), sample.end());
      text += model.tgt_vocab.decode(whole) + "\n";
    }
    std::cout << text << std::flush;
    FERRY_CHECK(std::cout.good(), ferry::Error, "writing the texts failed");
    return ferry::kExitOk;
  });
}
