// The `decoding` section: how translations are searched for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/config_reader.h"

namespace ferry {

struct DecodeConfig {
  int64_t beam_size = 5;           // 1: greedy
  std::string normalize = "gnmt";  // gnmt: score / ((5 + len) / 6)^length_penalty; length: score / len; none
  double length_penalty = 0.6;     // GNMT alpha; 0: raw log-probability
  double max_length_factor = 2.0;  // output at most factor x source length + max_length_offset tokens
  int64_t max_length_offset = 10;
  int64_t batch_size = 32;         // sentences translated together
  int64_t max_input_length = 250;  // source subwords kept per line (longer lines are cut, with a warning)
};

// A value given for a key of the section from elsewhere than the config (a program's flag): `origin` names it
// in messages ("--beam-size 20000").
struct DecodingOverride {
  std::string key;    // "beam_size"
  std::string value;  // YAML syntax, as typed
  std::string origin;
};

DecodeConfig read_decode_config(ConfigReader& decoding);
// The `decoding` section of a whole config document (as a model file keeps it; defaults where absent) with
// `overrides` applied through the same reader and checks. `origin` names the document in errors;
// ModelFileError if the document's own section is invalid, ConfigError naming the override if an override
// is.
DecodeConfig decode_config_of_model(const std::string& config_yaml, const std::string& origin,
                                    const std::vector<DecodingOverride>& overrides = {});

}  // namespace ferry
