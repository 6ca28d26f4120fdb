// The `decoding` section: how translations are searched for.
#pragma once

#include <cstdint>

#include "util/config_reader.h"

namespace ferry {

struct DecodeConfig {
  int64_t beam_size = 5;           // 1: greedy
  double length_penalty = 0.6;     // GNMT alpha; 0: raw log-probability
  double max_length_factor = 2.0;  // output at most factor x source length + max_length_offset tokens
  int64_t max_length_offset = 10;
  int64_t batch_size = 32;         // sentences translated together
};

DecodeConfig read_decode_config(ConfigReader& decoding);

}  // namespace ferry
