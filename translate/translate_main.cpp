// translate --model model.bin [--model ...] [options] < input.txt > output.txt: translates text with a model
// or an ensemble, one output line per input line; with --score, scores given translations instead.
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "core/context.h"
#include "translate/model_location.h"
#include "translate/model_set.h"
#include "translate/pair_scoring.h"
#include "translate/stream_translation.h"
#include "translate/translate_options.h"
#include "translate/translation_workers.h"
#include "util/error.h"
#include "util/log.h"
#include "util/memory.h"
#include "util/program.h"

namespace {

// Input of at least this many bytes in a file gets one worker per thread by default: setting up a second
// search (its networks over the loaded weights, its primitives) costs more than the workers gain on 60 lines
// of Multi30k (4.4 KB) and less than they gain on 120 (8.9 KB) (docs/performance.md).
constexpr off_t kWorkersMinInputBytes = 8 << 10;

// Standard input's size when it is a regular file, whose lines are all there from the start.
std::optional<off_t> input_file_size() {
  struct stat input {};
  if (fstat(STDIN_FILENO, &input) != 0 || !S_ISREG(input.st_mode)) return std::nullopt;
  return input.st_size;
}

// Standard input from a large file: one worker per thread; a small file, a pipe or a terminal: one search.
int default_workers(int threads, const std::optional<off_t>& input_size) {
  return input_size && *input_size >= kWorkersMinInputBytes ? threads : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ferry::run_program("translate", [&] {
    std::ios::sync_with_stdio(false);
    const ferry::TranslateOptions options = ferry::parse_translate_options(argc, argv);
    if (options.help) {
      std::cout << options.help_text << std::endl;
      return 0;
    }
    const std::vector<std::string> model_files = ferry::locate_models(options.models, options.config_path);
    ferry::Context::set_threads(options.threads);
    const int threads = ferry::Context::threads();
    const std::optional<off_t> input_size = input_file_size();
    const int workers =
        options.score ? 1 : options.workers > 0 ? options.workers : default_workers(threads, input_size);
    FERRY_CHECK(workers <= threads, ferry::InputError,
                "--workers " << workers << " needs at least " << workers << " threads, but there are " << threads
                             << (options.threads > 0 ? " (--threads)" : " (one per core; --threads sets the count)"));
    // Primitives and packed weights are made for the thread count of the thread that loads the models: these
    // serve the first worker.
    ferry::Context::set_threads(threads / workers);
    std::unique_ptr<ferry::ModelSet> loaded =
        options.lm_path.empty() ? std::make_unique<ferry::ModelSet>(model_files, options.precision)
                                : std::make_unique<ferry::ModelSet>(model_files, options.precision, options.lm_path,
                                                                    options.lm_weight);
    ferry::ModelSet& models = *loaded;
    // Only now: the model files' bytes, freed by now, go back to the system instead of staying in the heap.
    ferry::retain_freed_memory();
    const ferry::LoadedModel& model = models.first();
    FERRY_CHECK(!model.config.language_model(), ferry::ModelFileError,
                models.first_path() << " is a language model (model.type lm): translate needs a translation "
                                       "model (score scores text with a language model)");
    const ferry::DecodeConfig config =
        ferry::effective_decode_config(model.config_yaml, models.first_path(), options);
    ferry::StepScorer& scorer = models.scorer();

    if (options.score) {
      ferry::PairScoringInput input;
      input.src_vocab = &model.src_vocab;
      input.tgt_vocab = &model.tgt_vocab;
      input.reference_path = options.reference_path;
      input.max_input_length = config.max_input_length;
      input.limits = ferry::effective_batch_limits(config, options);
      ferry::score_pairs(std::cin, std::cout, scorer, input);
      return 0;
    }

    const ferry::SearchOptions search = ferry::effective_search_options(config, options);
    const ferry::BatchLimits limits = ferry::effective_batch_limits(config, options);
    auto translator = std::make_unique<ferry::Translator>(scorer, search, limits);
    std::unique_ptr<ferry::TranslationWorkers> pool;
    if (workers > 1) {
      ferry::log_info() << "translating with " << workers << " workers, " << threads / workers << " thread(s) each";
      pool = std::make_unique<ferry::TranslationWorkers>(
          ferry::WorkerTranslator{std::move(loaded), std::move(translator)}, workers, threads / workers, [&] {
            ferry::WorkerTranslator worker;
            worker.models = models.sharing_weights();
            worker.translator = std::make_unique<ferry::Translator>(worker.models->scorer(), search, limits);
            return worker;
          });
    }
    const ferry::OutputWriter writer(model.src_vocab, model.tgt_vocab,
                                     ferry::effective_output_options(options));
    ferry::StreamOptions stream;
    stream.max_input_length = config.max_input_length;
    stream.first_chunk = 1;  // the first line out at once
    stream.input_complete = input_size.has_value();
    stream.max_chunk = std::max<size_t>(2048, 16 * static_cast<size_t>(config.batch_size));
    stream.progress = isatty(STDERR_FILENO) != 0;
    const auto translate = [&](const std::vector<ferry::TokenIds>& sources, uint64_t first_key) {
      return pool ? pool->translate(sources, first_key) : translator->translate(sources, first_key);
    };
    const ferry::StreamSummary summary =
        ferry::translate_stream(std::cin, std::cout, translate, model.src_vocab, writer, stream);
    ferry::log_info() << "translated " << summary.lines << " lines in " << summary.seconds << " s"
                      << (summary.warnings ? ", " + std::to_string(summary.warnings) + " warnings" : "");
    return 0;
  });
}
