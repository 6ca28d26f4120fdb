// A whole training run's config: every section, read and checked before any work starts.
#pragma once

#include <map>
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
  std::map<std::string, std::string> values;  // every key with the value it resolved to, as text
};

// Reads `source` through every section's checks and rejects unknown keys; ConfigError (exit 2) on any problem.
// With `check_files`, corpus files must exist.
RunConfig read_run_config(const ConfigSource& source, bool check_files);

// Loads a config file and applies `--set` overrides, then reads it as above.
RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides, bool check_files);

// The keys whose change would make a resumed run another run (data, vocab, model, the training keys that
// shape the optimisation, and the early-stopping metric, whose best value the run keeps), as "key: saved ->
// current" for each that differs. Limits, intervals, early-stopping patience, threads and decoding may
// change.
std::vector<std::string> incompatible_changes(const RunConfig& saved, const RunConfig& current);

// Every key with its kind, default and help, one per line: the documentation of the defaults.
std::string describe_config_keys();

}  // namespace ferry
