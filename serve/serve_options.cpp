#include "serve/serve_options.h"

#include "core/context.h"
#include "translate/translate_options.h"
#include "util/error.h"
#include "util/program.h"

namespace ferry {
namespace {

namespace po = boost::program_options;

po::options_description declare_options() {
  const ServeOptions d;
  po::options_description o(
      "serve --model model.bin [--model model2.bin ...] [options]\n"
      "Translates over HTTP until SIGTERM or SIGINT (then it stops accepting, answers what is in flight and\n"
      "exits 0):\n"
      "  POST /translate  {\"text\": [\"...\", ...], \"beam_size\": 5, \"n_best\": 1, \"scores\": false}\n"
      "                   -> {\"translations\": [\"...\", ...]} (one per line, in order; \"scores\", \"n_best\"\n"
      "                   lists and \"warnings\" when asked for or when a line was repaired)\n"
      "  GET /health      -> {\"status\": \"ok\"}\n"
      "  GET /info        -> the model, its vocabularies, the decoding defaults and the server's limits\n"
      "Errors answer 400 (malformed request) or 413 (too large) with {\"error\": \"...\"}.\n"
      "Options");
  // clang-format off
  o.add_options()
      ("help,h", "print this help (default: off)")
      ("model,m", po::value<std::vector<std::string>>()->composing(),
       "model file written by train; repeat it to serve an ensemble. Without it: the model.bin that --config's "
       "training writes, else the file FERRY_MODEL names")
      ("config,c", po::value<std::string>(),
       "a training config: serve the model.bin in its training.model_dir (default: none)")
      ("precision", po::value<std::string>(), "f32, bf16 or int8 (default: the model's model.precision)")
      ("host", po::value<std::string>()->default_value(d.host), "address to listen on")
      ("port", po::value<int>()->default_value(d.port), "port to listen on; 0 picks a free one")
      ("threads", po::value<int>()->default_value(d.queue.threads), "threads of the search (0: every core)")
      ("max-batch-sentences", po::value<int64_t>()->default_value(d.queue.max_batch_sentences),
       "sentences of requests arriving together searched as one batch")
      ("max-wait-ms", po::value<int64_t>()->default_value(d.queue.max_wait_ms),
       "how long a request waits for others to join its batch, in milliseconds")
      ("max-request-lines", po::value<size_t>()->default_value(d.limits.max_lines),
       "sentences one request may hold (more: 413)")
      ("max-request-bytes", po::value<size_t>()->default_value(d.limits.max_bytes),
       "bytes one request body may hold (more: 413)")
      ("connections", po::value<int>()->default_value(d.connections),
       "requests handled at once (the others wait for a free handler)");
  // clang-format on
  return o;
}

}  // namespace

ServeOptions parse_serve_options(int argc, char** argv) {
  const po::options_description declared = declare_options();
  const po::variables_map args = parse_options(argc, argv, declared);
  ServeOptions o;
  if (args.count("help")) {
    o.help = true;
    o.help_text = help_text(declared);
    return o;
  }
  if (args.count("model")) o.models = args["model"].as<std::vector<std::string>>();
  if (args.count("config")) o.config_path = args["config"].as<std::string>();
  if (args.count("precision")) o.precision = parse_option_precision(args["precision"].as<std::string>());
  o.host = args["host"].as<std::string>();
  o.port = args["port"].as<int>();
  o.queue.threads = args["threads"].as<int>();
  o.queue.max_batch_sentences = args["max-batch-sentences"].as<int64_t>();
  o.queue.max_wait_ms = args["max-wait-ms"].as<int64_t>();
  o.limits.max_lines = args["max-request-lines"].as<size_t>();
  o.limits.max_bytes = args["max-request-bytes"].as<size_t>();
  o.connections = args["connections"].as<int>();
  FERRY_CHECK(o.port >= 0 && o.port <= 65535, InputError, "--port must be in [0, 65535], not " << o.port);
  FERRY_CHECK(o.queue.threads >= 0 && o.queue.threads <= Context::kMaxThreads, InputError,
              "--threads must be in [0, " << Context::kMaxThreads << "], not " << o.queue.threads);
  FERRY_CHECK(o.queue.max_batch_sentences >= 1 && o.queue.max_batch_sentences <= 100000, InputError,
              "--max-batch-sentences must be in [1, 100000], not " << o.queue.max_batch_sentences);
  FERRY_CHECK(o.queue.max_wait_ms >= 0 && o.queue.max_wait_ms <= 60000, InputError,
              "--max-wait-ms must be in [0, 60000], not " << o.queue.max_wait_ms);
  FERRY_CHECK(o.limits.max_lines >= 1, InputError, "--max-request-lines must be at least 1");
  FERRY_CHECK(o.limits.max_bytes >= 64, InputError,
              "--max-request-bytes must be at least 64, not " << o.limits.max_bytes);
  FERRY_CHECK(o.connections >= 1 && o.connections <= 4096, InputError,
              "--connections must be in [1, 4096], not " << o.connections);
  return o;
}

}  // namespace ferry
