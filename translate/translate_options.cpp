#include "translate/translate_options.h"

#include <sstream>

#include "core/context.h"
#include "util/error.h"
#include "util/program.h"

namespace ferry {
namespace {

namespace po = boost::program_options;

template <typename T>
std::string from_model(const std::string& key, const T& fallback) {
  std::ostringstream text;
  text << " (default: the model's decoding." << key << ", else " << fallback << ")";
  return text.str();
}

po::options_description declare_options() {
  const DecodeConfig d;
  const SamplingOptions s;
  po::options_description o(
      "translate --model model.bin [--model model2.bin ...] [options] < input.txt > output.txt\n"
      "Translates standard input line by line: exactly one output line per input line, in order.\n"
      "Output fields are separated by ' ||| ': 'translation [||| score] [||| alignment]', or with --n-best\n"
      "'index ||| translation ||| score [||| alignment]' (index 0-based).\n"
      "Options");
  o.add_options()("help,h", "print this help (default: off)")(
      "model,m", po::value<std::vector<std::string>>()->composing(),
      "model file written by train; repeat it to translate with an ensemble of models that share "
      "both vocabularies: each step's log-probabilities are their mean, normalised (the first model's "
      "decoding section gives the defaults). Without it: the model.bin that --config's training writes, else "
      "the file FERRY_MODEL names")(
      "config,c", po::value<std::string>(),
      "a training config: translate with the model.bin in its training.model_dir (default: none)")(
      "precision", po::value<std::string>(),
      "arithmetic of the network: f32; bf16 (matrix products and RNNs in bf16: faster on CPUs with "
      "AVX512-BF16); or int8 (the search's decoder steps multiply in 8 bits, the rest in bf16 where the CPU "
      "has it: fastest, on CPUs with AVX512-VNNI or AVX-VNNI); translations may differ slightly from f32 "
      "(default: the model's model.precision)")(
      "beam-size,b", po::value<std::string>(),
      ("hypotheses kept per sentence; 1 is greedy" + from_model("beam_size", d.beam_size)).c_str())(
      "normalize", po::value<std::string>(),
      ("length normalisation of finished hypotheses: gnmt (score / ((5 + "
       "len) / 6)^alpha), length (score / len) or none; len counts </s>" +
       from_model("normalize", d.normalize))
          .c_str())("length-penalty", po::value<std::string>(),
                    ("alpha of gnmt normalisation" + from_model("length_penalty", d.length_penalty)).c_str())(
      "max-length-factor", po::value<std::string>(),
      ("output length limit: factor x source subwords + offset" +
       from_model("max_length_factor", d.max_length_factor))
          .c_str())("max-length-offset", po::value<std::string>(),
                    ("tokens allowed beyond factor x source subwords" +
                     from_model("max_length_offset", d.max_length_offset))
                        .c_str())("max-input-length", po::value<std::string>(),
                                  ("source subwords kept per line; longer lines are cut with a "
                                   "warning" +
                                   from_model("max_input_length", d.max_input_length))
                                      .c_str())(
      "batch-size", po::value<std::string>(),
      ("sentences translated together" + from_model("batch_size", d.batch_size)).c_str())(
      "batch-tokens", po::value<int64_t>()->default_value(0),
      "also limit a batch to this many padded source tokens (0: no limit)")(
      "n-best", po::value<int64_t>()->default_value(0),
      "write the N best hypotheses of each line in the n-best format (N <= beam size; 0: one translation)")(
      "scores", po::bool_switch(), "append each translation's score (default: off)")(
      "alignments", po::value<std::string>(),
      "append word alignments from attention: hard ('i-j' pairs, source word i, target word j) or soft "
      "(per target word its weights over the source words, comma-separated) (default: none)")(
      "sample", po::bool_switch(),
      "draw translations at random instead of searching (--n-best samples per line) (default: off)")(
      "temperature", po::value<double>()->default_value(s.temperature), "sampling temperature")(
      "top-k", po::value<int64_t>()->default_value(s.top_k),
      "sample among the K most probable tokens (0: all)")(
      "top-p", po::value<double>()->default_value(s.top_p),
      "then among the fewest most probable tokens whose probability adds up to P (1: all)")(
      "seed", po::value<uint64_t>()->default_value(s.seed), "sampling seed (with the line number)")(
      "threads", po::value<int>()->default_value(0), "threads (0: every core)")(
      "workers", po::value<int>()->default_value(0),
      "batches translated at once, each by its own search on --threads / --workers threads (0: one per "
      "thread when standard input is a file of at least 8 KiB, else 1)")(
      "score", po::bool_switch(),
      "print the log-probability of each (input line, --ref-file line) pair (default: off)")(
      "ref-file", po::value<std::string>(), "references for --score, one per input line (default: none)")(
      "lm", po::value<std::string>(),
      "a language model of the target language (model.type lm, the models' target vocabulary) fused in the "
      "search: each token's score gains --lm-weight times its log-probability (default: none)")(
      "lm-weight", po::value<double>(),
      "weight of --lm's log-probabilities, in [0, 10] (default: 0.2 with --lm)");
  return o;
}

// The flags that override keys of the decoding section.
const std::pair<const char*, const char*> kDecodingFlags[] = {{"beam-size", "beam_size"},
                                                              {"normalize", "normalize"},
                                                              {"length-penalty", "length_penalty"},
                                                              {"max-length-factor", "max_length_factor"},
                                                              {"max-length-offset", "max_length_offset"},
                                                              {"max-input-length", "max_input_length"},
                                                              {"batch-size", "batch_size"}};

}  // namespace

TranslateOptions parse_translate_options(int argc, char** argv) {
  const po::options_description declared = declare_options();
  const po::variables_map args = parse_options(argc, argv, declared);
  TranslateOptions o;
  if (args.count("help")) {
    o.help = true;
    o.help_text = help_text(declared);
    return o;
  }
  if (args.count("model")) o.models = args["model"].as<std::vector<std::string>>();
  if (args.count("config")) o.config_path = args["config"].as<std::string>();
  if (args.count("precision")) o.precision = parse_option_precision(args["precision"].as<std::string>());
  for (const auto& [flag, key] : kDecodingFlags) {
    if (args.count(flag)) {
      const std::string value = args[flag].as<std::string>();
      o.decoding.push_back({key, value, "--" + std::string(flag) + " " + value});
    }
  }
  o.batch_tokens = args["batch-tokens"].as<int64_t>();
  o.n_best = args["n-best"].as<int64_t>();
  o.scores = args["scores"].as<bool>();
  if (args.count("alignments")) o.alignment = parse_alignment_kind(args["alignments"].as<std::string>());
  o.sampling.enabled = args["sample"].as<bool>();
  o.sampling.temperature = args["temperature"].as<double>();
  o.sampling.top_k = args["top-k"].as<int64_t>();
  o.sampling.top_p = args["top-p"].as<double>();
  o.sampling.seed = args["seed"].as<uint64_t>();
  o.threads = args["threads"].as<int>();
  o.workers = args["workers"].as<int>();
  o.score = args["score"].as<bool>();
  if (args.count("ref-file")) o.reference_path = args["ref-file"].as<std::string>();
  FERRY_CHECK(o.threads >= 0 && o.threads <= Context::kMaxThreads, InputError,
              "--threads must be in [0, " << Context::kMaxThreads << "], not " << o.threads);
  FERRY_CHECK(o.workers >= 0 && o.workers <= Context::kMaxThreads, InputError,
              "--workers must be in [0, " << Context::kMaxThreads << "], not " << o.workers);
  FERRY_CHECK(o.n_best >= 0, InputError, "--n-best must not be negative, not " << o.n_best);
  if (args.count("lm")) {
    o.lm_path = args["lm"].as<std::string>();
    o.lm_weight = args.count("lm-weight") ? args["lm-weight"].as<double>() : 0.2;
  }
  FERRY_CHECK(!args.count("lm-weight") || args.count("lm"), InputError,
              "--lm-weight is only read with --lm FILE");
  FERRY_CHECK(o.lm_weight >= 0 && o.lm_weight <= 10, InputError,
              "--lm-weight must be in [0, 10], not " << o.lm_weight);
  FERRY_CHECK(o.score == !o.reference_path.empty(), InputError,
              (o.score ? "--score needs --ref-file FILE" : "--ref-file is only read with --score"));
  return o;
}

Precision parse_option_precision(const std::string& name) {
  try {
    return parse_precision(name);
  } catch (const InputError&) {
    FERRY_THROW(InputError, "--precision must be f32, bf16 or int8, not '" << name << "'");
  }
}

DecodeConfig effective_decode_config(const std::string& model_config_yaml, const std::string& model_path,
                                     const TranslateOptions& options) {
  return decode_config_of_model(model_config_yaml, model_path, options.decoding);
}

SearchOptions effective_search_options(const DecodeConfig& config, const TranslateOptions& options) {
  SearchOptions s = search_options(config);
  s.n_best = options.n_best > 0 ? options.n_best : 1;
  s.keep_attention = options.alignment != AlignmentKind::kNone;
  s.scores = options.scores || options.n_best > 0;  // the output shows them
  s.sampling = options.sampling;
  check_search_options(s);
  return s;
}

BatchLimits effective_batch_limits(const DecodeConfig& config, const TranslateOptions& options) {
  BatchLimits limits;
  limits.sentences = config.batch_size;
  limits.tokens = options.batch_tokens;
  return limits;
}

OutputOptions effective_output_options(const TranslateOptions& options) {
  OutputOptions o;
  o.n_best = options.n_best > 0;
  o.scores = options.scores;
  o.alignment = options.alignment;
  return o;
}

}  // namespace ferry
