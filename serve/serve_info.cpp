#include "serve/serve_info.h"

#include "util/json_line.h"

namespace ferry {

std::string serve_info_json(const std::vector<std::string>& model_files, const ModelSet& models,
                            const DecodeConfig& decoding, const ServeOptions& options) {
  std::string files;
  for (const std::string& file : model_files) files += (files.empty() ? "" : ", ") + json_quote(file);
  const LoadedModel& model = models.first();
  const Precision precision = options.precision ? *options.precision : model.config.precision;
  JsonLine search;
  search.add("beam_size", decoding.beam_size)
      .add("normalize", decoding.normalize)
      .add("length_penalty", decoding.length_penalty)
      .add("max_length_factor", decoding.max_length_factor)
      .add("max_length_offset", decoding.max_length_offset)
      .add("max_input_length", decoding.max_input_length);
  JsonLine limits;
  limits.add("max_request_lines", static_cast<int64_t>(options.limits.max_lines))
      .add("max_request_bytes", static_cast<int64_t>(options.limits.max_bytes))
      .add("max_beam_size", options.limits.max_beam_size)
      .add("max_batch_sentences", options.queue.max_batch_sentences)
      .add("max_wait_ms", options.queue.max_wait_ms);
  JsonLine info;
  info.add_raw("models", "[" + files + "]")
      .add("source_vocab_size", model.src_vocab.vocab_size())
      .add("target_vocab_size", model.tgt_vocab.vocab_size())
      .add("precision", precision_name(precision))
      .add_raw("decoding", search.str())
      .add_raw("limits", limits.str())
      .add("threads", options.queue.threads);
  return info.str() + "\n";
}

}  // namespace ferry
