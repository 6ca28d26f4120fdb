// Times the training-data pipeline on the whole Multi30k training set: reading and cleaning both sides,
// SentencePiece encoding, batching (the plan and every padded batch). Median of repeated runs.
// bench_data [--data corpora/multi30k] [--runs 5] [--threads 0]
#include <iostream>

#include "core/context.h"
#include "data/batch.h"
#include "data/batcher.h"
#include "data/corpus.h"
#include "data/dataset.h"
#include "data/subword.h"
#include "util/error.h"
#include "util/program.h"
#include "util/timing.h"

int main(int argc, char** argv) {
  return ferry::run_program("bench_data", [&] {
    namespace po = boost::program_options;
    po::options_description options("bench_data [options]");
    options.add_options()
        ("help,h", "print this help")
        ("data", po::value<std::string>()->default_value("corpora/multi30k"), "folder with train.{de,en}.gz")
        ("runs", po::value<int>()->default_value(5), "repetitions")
        ("threads", po::value<int>()->default_value(0), "threads (0: every core)");
    const auto args = ferry::parse_options(argc, argv, options);
    if (args.count("help")) {
      std::cout << options << std::endl;
      return 0;
    }
    ferry::Context::set_threads(args["threads"].as<int>());
    const std::string folder = args["data"].as<std::string>();
    const ferry::CorpusPaths paths{folder + "/train.de.gz", folder + "/train.en.gz", ""};

    // Subword models are trained once, outside the timed part (they are trained once per run in training too).
    ferry::Stopwatch watch;
    const ferry::ParallelCorpus first = ferry::read_parallel_corpus(paths);
    ferry::SubwordConfig config;
    const auto src = ferry::SubwordModel::from_bytes(ferry::SubwordModel::train(first.src, config, 1, 2), "src");
    const auto tgt = ferry::SubwordModel::from_bytes(ferry::SubwordModel::train(first.tgt, config, 1, 2), "tgt");
    std::cout << "SentencePiece training (both sides, once): " << watch.seconds() << " s\n";

    std::vector<double> read_s, encode_s, batch_s, total_s;
    size_t pairs = 0, batches = 0;
    for (int run = 0; run < args["runs"].as<int>(); ++run) {
      ferry::Stopwatch total;
      watch.restart();
      const ferry::ParallelCorpus corpus = ferry::read_parallel_corpus(paths);
      read_s.push_back(watch.seconds());
      watch.restart();
      const ferry::EncodedCorpus encoded = ferry::encode_corpus(corpus, src, tgt, 100);
      encode_s.push_back(watch.seconds());
      watch.restart();
      ferry::Batcher batcher(encoded, 1000, 1);
      const ferry::BatchPlan plan = batcher.plan(1);
      int64_t tokens = 0;
      for (const auto& indices : plan) tokens += ferry::make_batch(encoded, indices).tgt_tokens();
      batch_s.push_back(watch.seconds());
      total_s.push_back(total.seconds());
      pairs = encoded.size();
      batches = plan.size();
      if (tokens != encoded.target_tokens()) throw ferry::InternalError("batches lost tokens");
    }
    std::cout << "pairs " << pairs << ", batches " << batches << ", threads " << ferry::Context::threads() << "\n"
              << "read+clean  s: " << ferry::format_spread(ferry::spread_of(read_s), 3) << "\n"
              << "encode      s: " << ferry::format_spread(ferry::spread_of(encode_s), 3) << "\n"
              << "batch       s: " << ferry::format_spread(ferry::spread_of(batch_s), 3) << "\n"
              << "total       s: " << ferry::format_spread(ferry::spread_of(total_s), 3) << "\n"
              << "pairs/s (total): " << static_cast<double>(pairs) / ferry::spread_of(total_s).median << "\n";
    return 0;
  });
}
