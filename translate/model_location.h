// Where model files are: the model.bin a training run writes in its folder (training.model_dir), and which
// model files translate and score use: those given with --model; else the model.bin of the training config
// given with --config; else the file the environment variable FERRY_MODEL names.
#pragma once

#include <string>
#include <vector>

namespace ferry {

// training.model_dir when a training config does not give it.
constexpr const char* kDefaultModelDir = "runs/de-en";

// <model_dir>/model.bin: the best model of the run writing to that folder.
std::string model_file_in(const std::string& model_dir);

// InputError listing the three ways when none gives a model; ConfigError for a bad config file.
std::vector<std::string> locate_models(const std::vector<std::string>& given, const std::string& config_path);

}  // namespace ferry
