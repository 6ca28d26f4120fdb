#include "translate/text_translator.h"

#include "core/context.h"
#include "translate/forced_decoding.h"
#include "translate/input_line.h"
#include "translate/output_writer.h"
#include "translate/search_options.h"
#include "util/error.h"

namespace ferry {
namespace {

int checked_threads(int threads) {
  FERRY_CHECK(threads >= 0 && threads <= Context::kMaxThreads, InputError,
              "threads must be in [0, " << Context::kMaxThreads << "], not " << threads);
  Context::set_threads(threads);  // before the models' primitives are made
  return threads;
}

std::vector<std::string> checked_models(const std::vector<std::string>& models) {
  FERRY_CHECK(!models.empty(), InputError, "no model file given");
  return models;
}

DecodeConfig decoding_of(const ModelSet& models, const TextTranslatorOptions& options) {
  const LoadedModel& model = models.first();
  FERRY_CHECK(!model.config.language_model(), ModelFileError,
              models.first_path() << " is a language model (model.type lm): translation needs a translation model");
  std::vector<DecodingOverride> overrides;
  if (options.beam_size) {
    const std::string value = std::to_string(*options.beam_size);
    overrides.push_back({"beam_size", value, "beam_size=" + value});
  }
  return decode_config_of_model(model.config_yaml, models.first_path(), overrides);
}

// translate() returns the best hypothesis's text alone.
SearchOptions text_search_options(const DecodeConfig& decoding) {
  SearchOptions search = search_options(decoding);
  search.scores = false;
  return search;
}

}  // namespace

TextTranslator::TextTranslator(const TextTranslatorOptions& options)
    : threads_(checked_threads(options.threads)),
      models_(checked_models(options.models), options.precision),
      decoding_(decoding_of(models_, options)),
      precision_(options.precision ? *options.precision : models_.first().config.precision),
      translator_(models_.scorer(), text_search_options(decoding_), BatchLimits{decoding_.batch_size, 0}) {}

void TextTranslator::use_threads() const { Context::set_threads(threads_); }

std::vector<std::string> TextTranslator::translate(const std::vector<std::string>& lines) {
  use_threads();
  const LoadedModel& model = models_.first();
  std::vector<TokenIds> sources;
  sources.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i)
    sources.push_back(
        prepare_reported(lines[i], model.src_vocab, decoding_.max_input_length, "line " + std::to_string(i + 1)));
  const std::vector<NBest> results = translator_.translate(sources);
  std::vector<std::string> texts;
  texts.reserve(results.size());
  for (const NBest& result : results)
    texts.push_back(result.empty() ? "" : one_line_text(model.tgt_vocab, result.front().tokens));
  return texts;
}

std::vector<double> TextTranslator::score(const std::vector<std::string>& sources,
                                          const std::vector<std::string>& targets) {
  FERRY_CHECK(sources.size() == targets.size(), InputError,
              "scoring needs one target per source: " << sources.size() << " sources but " << targets.size()
                                                      << " targets");
  use_threads();
  const LoadedModel& model = models_.first();
  std::vector<TokenIds> source_ids, target_ids;
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    source_ids.push_back(
        prepare_reported(sources[i], model.src_vocab, decoding_.max_input_length, "source " + number));
    target_ids.push_back(
        prepare_reported(targets[i], model.tgt_vocab, decoding_.max_input_length, "target " + number));
  }
  return force_decode(models_.scorer(), source_ids, target_ids, BatchLimits{decoding_.batch_size, 0});
}

}  // namespace ferry
