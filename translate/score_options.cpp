#include "translate/score_options.h"

#include "core/context.h"
#include "translate/translate_options.h"
#include "util/error.h"
#include "util/program.h"

namespace ferry {
namespace {

namespace po = boost::program_options;

po::options_description declare_options() {
  po::options_description o(
      "score --model model.bin [--model model2.bin ...] --src source.txt [options] < references.txt\n"
      "score --model lm.bin [options] < text.txt\n"
      "Scores each (source line, reference line) pair, or with a language model each line of text: one\n"
      "output line per input line, in order, with its log-probability (given the source; natural log,\n"
      "summed over its subwords and </s>), its token count and its perplexity, separated by tabs. The\n"
      "corpus perplexity goes to standard error.\n"
      "Options");
  // clang-format off
  o.add_options()
      ("help,h", "print this help (default: off)")
      ("model,m", po::value<std::vector<std::string>>()->composing(),
       "model file written by train; repeat it to score with an ensemble (the normalised mean of "
       "the models' log-probabilities). Without it: the model.bin that --config's training writes, else the "
       "file FERRY_MODEL names")
      ("config,c", po::value<std::string>(),
       "a training config: score with the model.bin in its training.model_dir (default: none)")
      ("src", po::value<std::string>(), "the source sentences, one per reference line, plain or .gz (required for a translation model; none for "
       "a language model)")
      ("json", po::bool_switch(),
       "one JSON object per line instead: {\"log_prob\": ..., \"tokens\": ..., \"ppl\": ...} (default: off)")
      ("precision", po::value<std::string>(),
       "arithmetic of the network: f32, bf16 or int8 (default: the model's model.precision)")
      ("batch-size", po::value<std::string>(), "pairs scored together (default: the model's decoding.batch_size)")
      ("max-input-length", po::value<std::string>(),
       "subwords kept per line on either side; longer lines are cut with a warning (default: the model's "
       "decoding.max_input_length)")
      ("threads", po::value<int>()->default_value(0), "threads (0: every core)");
  // clang-format on
  return o;
}

}  // namespace

ScoreOptions parse_score_options(int argc, char** argv) {
  const po::options_description declared = declare_options();
  const po::variables_map args = parse_options(argc, argv, declared);
  ScoreOptions o;
  if (args.count("help")) {
    o.help = true;
    o.help_text = help_text(declared);
    return o;
  }
  if (args.count("model")) o.models = args["model"].as<std::vector<std::string>>();
  if (args.count("config")) o.config_path = args["config"].as<std::string>();
  if (args.count("src")) o.source_path = args["src"].as<std::string>();
  o.json = args["json"].as<bool>();
  if (args.count("precision")) o.precision = parse_option_precision(args["precision"].as<std::string>());
  for (const auto& [flag, key] : {std::pair<std::string, std::string>{"batch-size", "batch_size"},
                                  {"max-input-length", "max_input_length"}}) {
    if (args.count(flag)) {
      const std::string value = args[flag].as<std::string>();
      o.decoding.push_back({key, value, "--" + flag + " " + value});
    }
  }
  o.threads = args["threads"].as<int>();
  FERRY_CHECK(o.threads >= 0 && o.threads <= Context::kMaxThreads, InputError,
              "--threads must be in [0, " << Context::kMaxThreads << "], not " << o.threads);
  return o;
}

}  // namespace ferry
