// Runs of configs/tiny.yaml by build/bin/train, with every file a run writes inside a test's folder.
#pragma once

#include <string>

#include "support/temp_dir.h"

namespace ferry {

// The options that run the tiny config on one thread (`--config` and its `--set`s, a space before and after):
// corpus from Multi30k, subword models in `root`, run folder `root`/run. For any program that reads a config.
std::string tiny_config_options(const std::string& root);
// The command that trains the tiny config on one thread: corpus from Multi30k, subword models in `dir`, run
// folder `dir`/run; `extra` options follow (a later --set of a key wins).
std::string tiny_train_command(const TempDir& dir, const std::string& extra = "");
// --set options that validate on the first `lines` pairs of the Multi30k validation set (copied into `dir`),
// for runs that validate often.
std::string small_valid_set(const TempDir& dir, size_t lines);
// The command that trains a tiny language model (configs/lm-en.yaml made small: 500 lines of Multi30k's
// English side, 400 subwords, one LSTM layer of 32) on one thread, validated on the first 20 lines of the
// English validation set; subword model and run folder in `dir` as above; `extra` options follow.
std::string tiny_lm_train_command(const TempDir& dir, const std::string& extra = "");
// The tiny config's subword models and run folder, copied into `dir`; returns the path of its model.bin.
// Trained on one thread, the run is the same each time, so the build trains it once (a few seconds) for
// every test that asks (build/test-cache). Throws (failing the test) if training fails.
std::string train_tiny_model(const TempDir& dir);

}  // namespace ferry
