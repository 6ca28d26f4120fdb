// score --model model.bin --src source.txt < references.txt: the log-probability, token count and perplexity
// of each reference given its source, one line per reference line; with a language model, score --model
// lm.bin < text.txt scores each line alone. The corpus perplexity goes to stderr.
#include <cmath>
#include <iostream>

#include "core/context.h"
#include "translate/model_location.h"
#include "translate/model_set.h"
#include "translate/pair_scoring.h"
#include "translate/score_options.h"
#include "util/error.h"
#include "util/log.h"
#include "util/memory.h"
#include "util/program.h"

int main(int argc, char** argv) {
  return ferry::run_program("score", [&] {
    std::ios::sync_with_stdio(false);
    const ferry::ScoreOptions options = ferry::parse_score_options(argc, argv);
    if (options.help) {
      std::cout << options.help_text << std::endl;
      return 0;
    }
    const std::vector<std::string> model_files = ferry::locate_models(options.models, options.config_path);
    ferry::Context::set_threads(options.threads);
    ferry::ModelSet models(model_files, options.precision);
    ferry::retain_freed_memory();
    const ferry::LoadedModel& model = models.first();
    const bool language_model = model.config.language_model();
    FERRY_CHECK(language_model == options.source_path.empty(), ferry::InputError,
                (language_model ? models.first_path() +
                                      " is a language model: it scores text alone, one sentence a line on "
                                      "standard input; leave out --src"
                                : "--src FILE is required: the source sentence of each reference line (" +
                                      models.first_path() + " is a translation model)"));
    const ferry::DecodeConfig config =
        ferry::decode_config_of_model(model.config_yaml, models.first_path(), options.decoding);
    ferry::PairScoringInput input;
    input.src_vocab = &model.src_vocab;
    input.tgt_vocab = &model.tgt_vocab;
    input.source_path = options.source_path;
    input.text_only = language_model;
    input.max_input_length = config.max_input_length;
    input.limits.sentences = config.batch_size;
    input.format = options.json ? ferry::ScoreFormat::kJson : ferry::ScoreFormat::kFields;
    const ferry::ScoringSummary summary = ferry::score_pairs(std::cin, std::cout, models.scorer(), input);
    if (summary.tokens > 0) {
      ferry::log_info() << "scored " << summary.pairs << (language_model ? " lines, " : " pairs, ")
                        << summary.tokens << " tokens: corpus perplexity "
                        << std::exp(-summary.log_prob / static_cast<double>(summary.tokens));
    } else {
      ferry::log_info() << "scored no pairs";
    }
    return 0;
  });
}
