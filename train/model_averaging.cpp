#include "train/model_averaging.h"

#include <cmath>
#include <fstream>
#include <set>

#include "core/optim/weight_average.h"
#include "model/model_file.h"
#include "train/checkpoint.h"
#include "train/run_config.h"
#include "util/error.h"

namespace ferry {
namespace {

const std::string kParamPrefix = "param/";

// A model file or a checkpoint, told apart by its magic.
Archive read_model_or_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  const std::string kind(magic, static_cast<size_t>(in.gcount()));
  if (kind == kCheckpointMagic) return Archive::read(path, kCheckpointMagic, kCheckpointFormatVersion);
  // Anything else is read as a model file, whose reader names what is wrong with it.
  return Archive::read(path, kModelMagic, kModelFormatVersion);
}

// The network keys of an archive's config (model.*, but not model.precision, the arithmetic it runs in).
std::map<std::string, std::string> architecture_of(const Archive& archive) {
  const RunConfig config =
      read_run_config(ConfigSource::parse(archive.blob("config"), archive.origin()), false);
  std::map<std::string, std::string> keys;
  for (const auto& [key, value] : config.values) {
    if (key.rfind("model.", 0) == 0 && key != "model.precision") keys[key] = value;
  }
  return keys;
}

// Where an archive keeps the weights a model file made from it would hold: a checkpoint's weight average
// when it has one, else its parameters.
std::string weights_prefix(const Archive& archive) {
  for (const std::string& name : archive.names()) {
    if (name.rfind(WeightAverage::kPrefix, 0) == 0) return WeightAverage::kPrefix;
  }
  return kParamPrefix;
}

void check_same_model(const Archive& first, const Archive& other) {
  const auto expected = architecture_of(first), actual = architecture_of(other);
  for (const auto& [key, value] : expected) {
    auto it = actual.find(key);
    const std::string found = it == actual.end() ? "(absent)" : it->second;
    FERRY_CHECK(found == value, ModelFileError,
                other.origin() << " is another architecture than " << first.origin() << ": " << key << " is "
                               << found << ", not " << value);
  }
  for (const char* vocab : {"vocab/src", "vocab/tgt"}) {
    FERRY_CHECK(other.blob(vocab) == first.blob(vocab), ModelFileError,
                other.origin() << " has another " << (vocab[6] == 's' ? "source" : "target")
                               << " vocabulary than " << first.origin() << "; only models with the same "
                               << "vocabularies can be averaged");
  }
  std::set<std::string> names;
  for (const std::string& name : first.names()) {
    if (name.rfind(kParamPrefix, 0) == 0) names.insert(name);
  }
  for (const std::string& name : other.names()) {
    FERRY_CHECK(name.rfind(kParamPrefix, 0) != 0 || names.count(name), ModelFileError,
                other.origin() << " holds the tensor '" << name.substr(kParamPrefix.size()) << "', which "
                               << first.origin() << " lacks");
  }
}

}  // namespace

AveragingSummary average_model_files(const std::vector<std::string>& inputs, const std::string& output,
                                     bool weight_averages) {
  FERRY_CHECK(!inputs.empty(), InputError, "no model files to average");
  std::vector<Archive> archives;
  archives.reserve(inputs.size());
  for (const std::string& path : inputs) archives.push_back(read_model_or_checkpoint(path));
  // Builds (and so checks) the first input's network; its registry receives the mean.
  LoadedModel model = model_from_archive(archives.front());
  AveragingSummary summary;
  summary.inputs = archives.size();
  for (size_t i = 1; i < archives.size(); ++i) check_same_model(archives.front(), archives[i]);

  std::vector<std::string> prefixes;
  for (const Archive& archive : archives) {
    prefixes.push_back(weight_averages ? weights_prefix(archive) : kParamPrefix);
    summary.weight_averages += prefixes.back() == WeightAverage::kPrefix;
  }
  const float scale = 1.0f / static_cast<float>(archives.size());
  for (Parameter* param : model.network->params().all()) {
    Tensor sum(param->value.dims()), one(param->value.dims());
    for (size_t i = 0; i < archives.size(); ++i) {
      // Non-trainable parameters have no weight average: they are the same in every checkpoint of a run.
      const std::string name = (param->trainable ? prefixes[i] : kParamPrefix) + param->name;
      FERRY_CHECK(archives[i].has(name), ModelFileError,
                  archives[i].origin()
                      << " lacks the tensor '" << name << "' of " << archives.front().origin());
      archives[i].load_into(name, one);
      const float* values = one.data();
      float* total = sum.data();
      for (int64_t k = 0, n = one.numel(); k < n; ++k) {
        FERRY_CHECK(std::isfinite(values[k]), ModelFileError,
                    archives[i].origin() << ": tensor '" << name << "' holds " << values[k] << " at element "
                                         << k << "; a model with non-finite weights cannot be averaged");
        total[k] += values[k];
      }
    }
    float* mean = param->value.data();
    const float* total = sum.data();
    for (int64_t k = 0, n = sum.numel(); k < n; ++k) mean[k] = total[k] * scale;
    param->changed();
    ++summary.parameters;
  }
  save_model(output, model.config_yaml, model.src_vocab, model.tgt_vocab, model.network->params());
  return summary;
}

}  // namespace ferry
