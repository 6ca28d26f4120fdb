#include "translate/model_location.h"

#include <cstdlib>

#include "util/config_reader.h"
#include "util/error.h"

namespace ferry {

std::string model_file_in(const std::string& model_dir) { return model_dir + "/model.bin"; }

std::vector<std::string> locate_models(const std::vector<std::string>& given, const std::string& config_path) {
  if (!given.empty()) return given;
  if (!config_path.empty()) {
    // Only the run's folder is read from the config; train checks the rest when it trains.
    const ConfigSource source = ConfigSource::load_file(config_path);
    ConfigReader root(source);
    ConfigReader training = root.section("training", "the training run");
    return {model_file_in(training.text("model_dir", kDefaultModelDir, "folder of the run's files"))};
  }
  const char* from_environment = std::getenv("FERRY_MODEL");
  if (from_environment && *from_environment) return {from_environment};
  FERRY_THROW(InputError, "no model: give --model FILE, or --config FILE (a training config: the model.bin in "
                          "its training.model_dir), or set FERRY_MODEL=FILE");
}

}  // namespace ferry
