// Times the training-data pipeline on a whole training set (Multi30k by default; any folder with
// train.{de,en}.gz, e.g. one of scripts/make-large-corpus.sh): SentencePiece training on the sample training
// takes (vocab.*.sample_sentences), reading and cleaning both sides, encoding, batching (the plan and every
// padded batch), and the encoded pairs back from the run folder's cache instead: opened with every pair
// checked (as process 0 of a run does), or with each pair checked when a batch reads it. Median of repeated
// runs, the pipeline's target tokens/s and the process's peak RSS.
// bench_data [--data corpora/multi30k] [--runs 5] [--threads 0]
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "bench/support/command_line.h"
#include "core/context.h"
#include "data/batch.h"
#include "data/batcher.h"
#include "data/corpus.h"
#include "data/dataset.h"
#include "data/subword.h"
#include "train/pair_cache.h"
#include "util/error.h"
#include "util/program.h"
#include "util/timing.h"

int main(int argc, char** argv) {
  return ferry::run_program("bench_data", [&] {
    namespace po = boost::program_options;
    po::options_description options = ferry::bench_options("bench_data [options]");
    options.add_options()
        ("data", po::value<std::string>()->default_value("corpora/multi30k"), "folder with train.{de,en}.gz");
    ferry::add_runs_and_threads(options, 5);
    const auto parsed = ferry::parse_bench_options(argc, argv, options);
    if (!parsed) return 0;
    const po::variables_map& args = *parsed;
    ferry::Context::set_threads(args["threads"].as<int>());
    const std::string folder = args["data"].as<std::string>();
    const ferry::CorpusPaths paths{folder + "/train.de.gz", folder + "/train.en.gz", ""};

    // Subword models are trained once, outside the timed part (they are trained once per run in training too).
    ferry::Stopwatch watch;
    ferry::SubwordModel src, tgt;
    {
      const ferry::ParallelCorpus first = ferry::read_corpus(paths);
      std::cout << "read+clean (first, cold) s: " << watch.seconds() << "\n";
      watch.restart();
      const ferry::SubwordConfig config;
      const int threads = ferry::Context::threads();
      src = ferry::SubwordModel::from_bytes(ferry::SubwordModel::train(first.src, config, 1, threads), "src");
      tgt = ferry::SubwordModel::from_bytes(ferry::SubwordModel::train(first.tgt, config, 1, threads), "tgt");
      std::cout << "SentencePiece training (both sides, once, on at most " << config.sample_sentences
                << " lines each): " << watch.seconds() << " s" << std::endl;
    }

    const std::string cache =
        (std::filesystem::temp_directory_path() / ("ferry-bench-data-" + std::to_string(getpid()) + ".cache")).string();
    std::vector<double> read_s, encode_s, batch_s, total_s, cache_write_s, cache_read_s, cache_open_s;
    int64_t target_tokens = 0;
    size_t pairs = 0, batches = 0;
    for (int run = 0; run < args["runs"].as<int>(); ++run) {
      ferry::Stopwatch total;
      watch.restart();
      const ferry::ParallelCorpus corpus = ferry::read_corpus(paths);
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
      target_tokens = encoded.target_tokens();
      if (tokens != target_tokens) throw ferry::InternalError("batches lost tokens");
      watch.restart();
      ferry::write_pair_cache(cache, "bench", encoded, corpus.stats);
      cache_write_s.push_back(watch.seconds());
      watch.restart();
      const std::optional<ferry::CachedPairs> cached = ferry::read_pair_cache(cache, "bench");
      cache_read_s.push_back(watch.seconds());
      if (!cached || cached->corpus.fingerprint() != encoded.fingerprint())
        throw ferry::InternalError("the cache did not give the pairs back");
      watch.restart();
      const std::optional<ferry::CachedPairs> opened =
          ferry::read_pair_cache(cache, "bench", ferry::PairCacheCheck::kOnUse);
      cache_open_s.push_back(watch.seconds());
      if (!opened || opened->corpus.size() != pairs) throw ferry::InternalError("the cache did not open");
    }
    std::cout << "pairs " << pairs << ", batches " << batches << ", threads " << ferry::Context::threads() << "\n"
              << "read+clean  s: " << ferry::format_spread(ferry::spread_of(read_s), 3) << "\n"
              << "encode      s: " << ferry::format_spread(ferry::spread_of(encode_s), 3) << "\n"
              << "batch       s: " << ferry::format_spread(ferry::spread_of(batch_s), 3) << "\n"
              << "total       s: " << ferry::format_spread(ferry::spread_of(total_s), 3) << "\n"
              << "cache write s: " << ferry::format_spread(ferry::spread_of(cache_write_s), 3) << "\n"
              << "cache read  s: " << ferry::format_spread(ferry::spread_of(cache_read_s), 3) << "\n"
              << "cache open  s: " << ferry::format_spread(ferry::spread_of(cache_open_s), 3) << "\n"
              << "pairs/s (total): " << static_cast<double>(pairs) / ferry::spread_of(total_s).median << "\n"
              << "target tokens/s (total): "
              << static_cast<double>(target_tokens) / ferry::spread_of(total_s).median << "\n"
              << "peak RSS MiB: " << ferry::peak_rss_mib() << "\n";
    std::filesystem::remove(cache);
    return 0;
  });
}
