// The command line of `score`: the models, the source side of the pairs (the references come on standard
// input) and the output format.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"
#include "translate/decode_config.h"

namespace ferry {

struct ScoreOptions {
  bool help = false;
  std::string help_text;
  std::vector<std::string> models;     // one, or the members of an ensemble; none: config_path, FERRY_MODEL
  std::string config_path;             // --config: a training config naming the model's folder
  std::optional<Precision> precision;  // instead of the model's model.precision
  std::string source_path;             // the source sentence of each reference line
  bool json = false;
  int threads = 0;
  // Overrides of the model's decoding section (batch size, input length).
  std::vector<DecodingOverride> decoding;
};

// Parses argv; InputError (exit 2) for unknown, malformed or missing options. With --help, only `help` and
// `help_text` are set.
ScoreOptions parse_score_options(int argc, char** argv);

}  // namespace ferry
