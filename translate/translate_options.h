// The command line of `translate`: every option declared once with its help and default. Decoding options
// left out fall back to the model's `decoding` section, and to DecodeConfig's defaults where that is silent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "translate/batch_plan.h"
#include "translate/decode_config.h"
#include "translate/output_writer.h"
#include "translate/search_options.h"

namespace ferry {

struct TranslateOptions {
  bool help = false;
  std::string help_text;
  std::string model;
  std::optional<std::string> precision;  // f32 or bf16 instead of the model's model.precision
  // Overrides of the model's decoding section.
  std::optional<int64_t> beam_size, max_length_offset, batch_size, max_input_length;
  std::optional<double> length_penalty, max_length_factor;
  std::optional<std::string> normalize;
  int64_t batch_tokens = 0;
  int64_t n_best = 0;  // 0: the plain format
  bool scores = false;
  AlignmentKind alignment = AlignmentKind::kNone;
  SamplingOptions sampling;
  int threads = 0;
  bool score = false;
  std::string reference_path;
};

// Parses argv; InputError (exit 2) for unknown, malformed or inconsistent options. With --help, only
// `help` and `help_text` are set.
TranslateOptions parse_translate_options(int argc, char** argv);

// The model's decoding section with the command line's overrides; InputError for out-of-range values.
DecodeConfig effective_decode_config(const DecodeConfig& model_defaults, const TranslateOptions& options);
// What the search is asked for: the decoding config plus n-best, sampling and alignments.
SearchOptions effective_search_options(const DecodeConfig& config, const TranslateOptions& options);
BatchLimits effective_batch_limits(const DecodeConfig& config, const TranslateOptions& options);
OutputOptions effective_output_options(const TranslateOptions& options);

}  // namespace ferry
