// A whole training run's config: every section, read and checked before any work starts.
#pragma once

#include <string>
#include <vector>

#include "data/data_config.h"
#include "model/model_config.h"
#include "train/train_config.h"
#include "translate/decode_config.h"
#include "util/config_source.h"

namespace ferry {

struct RunConfig {
  DataConfig data;
  VocabConfig vocab;
  ModelConfig model;
  TrainConfig training;
  DecodeConfig decoding;
  std::string yaml;  // the effective config (file plus overrides), stored with the model
};

// Reads `source` through every section's checks and rejects unknown keys; ConfigError (exit 2) on any problem.
// With `check_files`, corpus files must exist.
RunConfig read_run_config(const ConfigSource& source, bool check_files);

// Loads a config file and applies `--set` overrides, then reads it as above.
RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides, bool check_files);

// Every key with its kind, default and help, one per line: the documentation of the defaults.
std::string describe_config_keys();

}  // namespace ferry
