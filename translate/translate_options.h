// The command line of `translate`: every option declared once with its help and default. Decoding options
// override the model's `decoding` section through its reader (decode_config_of_model), so they have the
// section's defaults and bounds; left out, the model's section holds, and DecodeConfig's defaults where that
// is silent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"
#include "translate/batch_plan.h"
#include "translate/decode_config.h"
#include "translate/output_writer.h"
#include "translate/search_options.h"

namespace ferry {

struct TranslateOptions {
  bool help = false;
  std::string help_text;
  std::vector<std::string> models;     // one, or the members of an ensemble; none: config_path, FERRY_MODEL
  std::string config_path;             // --config: a training config naming the model's folder
  std::optional<Precision> precision;  // instead of the model's model.precision
  // Overrides of the model's decoding section, in the order of declaration.
  std::vector<DecodingOverride> decoding;
  int64_t batch_tokens = 0;
  int64_t n_best = 0;  // 0: the plain format
  bool scores = false;
  AlignmentKind alignment = AlignmentKind::kNone;
  SamplingOptions sampling;
  int threads = 0;
  // Searches run at once, each on threads / workers threads (0: one per thread for a large input file,
  // else one search on every thread).
  int workers = 0;
  bool score = false;
  std::string reference_path;
  std::string lm_path;  // a target-language model fused in the search (empty: none)
  double lm_weight = 0.0;
};

// Parses argv; InputError (exit 2) for unknown, malformed or inconsistent options. With --help, only
// `help` and `help_text` are set.
TranslateOptions parse_translate_options(int argc, char** argv);
// The value of a --precision flag (translate's and score's): InputError naming the flag for another name.
Precision parse_option_precision(const std::string& name);

// The model's decoding section with the command line's overrides (ConfigError naming the flag for a bad
// value, ModelFileError for a bad section in the model).
DecodeConfig effective_decode_config(const std::string& model_config_yaml, const std::string& model_path,
                                     const TranslateOptions& options);
// What the search is asked for: the decoding config plus n-best, sampling and alignments.
SearchOptions effective_search_options(const DecodeConfig& config, const TranslateOptions& options);
BatchLimits effective_batch_limits(const DecodeConfig& config, const TranslateOptions& options);
OutputOptions effective_output_options(const TranslateOptions& options);

}  // namespace ferry
