#include "model/model_file.h"

#include <atomic>
#include <cmath>

#include "core/context.h"
#include "util/config_reader.h"
#include "util/error.h"

namespace ferry {
namespace {

const std::string kParamPrefix = "param/";

std::atomic<WeightLoading> weight_loading{WeightLoading::kMapped};

}  // namespace

void set_weight_loading(WeightLoading loading) { weight_loading.store(loading); }

void add_model_entries(ArchiveWriter& writer, const std::string& config_yaml, const SubwordModel& src_vocab,
                       const SubwordModel& tgt_vocab, const ParamRegistry& params) {
  writer.add_blob("config", config_yaml);
  writer.add_blob("vocab/src", src_vocab.serialized());
  writer.add_blob("vocab/tgt", tgt_vocab.serialized());
  for (const Parameter* p : params.all()) writer.add_tensor(kParamPrefix + p->name, p->value);
}

void save_model(const std::string& path, const std::string& config_yaml, const SubwordModel& src_vocab,
                const SubwordModel& tgt_vocab, const ParamRegistry& params) {
  ArchiveWriter writer;
  add_model_entries(writer, config_yaml, src_vocab, tgt_vocab, params);
  writer.write(path, kModelMagic, kModelFormatVersion);
}

void load_parameters(const Archive& archive, ParamRegistry& params) {
  for (Parameter* p : params.all()) {
    archive.load_into(kParamPrefix + p->name, p->value);
    p->changed();
  }
}

namespace {

// The parameters' values as the archive's own bytes where it allows (see Archive::view): a mapped model's
// weights are not copied. Writes to them stay in this process.
void view_parameters(const Archive& archive, ParamRegistry& params) {
  for (Parameter* p : params.all()) {
    p->value = archive.view(kParamPrefix + p->name, p->value.dims());
    p->changed();
  }
}

// A checksum guards the bytes, not what they mean: a model whose weights went NaN translates to nothing.
void check_finite(const ParamRegistry& params, const std::string& origin) {
  for (const Parameter* p : params.all()) {
    const float* v = p->value.data();
    for (int64_t i = 0, n = p->value.numel(); i < n; ++i) {
      if (!std::isfinite(v[i])) {
        FERRY_THROW(ModelFileError, origin << ": parameter " << p->name << " holds " << v[i] << " at element "
                                           << i << "; a model with non-finite weights cannot be used");
      }
    }
  }
}

}  // namespace

LoadedModel model_from_archive(const Archive& archive, const std::optional<Precision>& precision) {
  LoadedModel model;
  model.config_yaml = archive.blob("config");
  try {
    const ConfigSource source = ConfigSource::parse(model.config_yaml, archive.origin() + " config");
    ConfigReader root(source);
    ConfigReader section = root.section("model", "the network");
    model.config = read_model_config(section);
  } catch (const ConfigError& e) {
    FERRY_THROW(ModelFileError, archive.origin() << " holds an invalid config: " << e.what());
  }
  try {
    model.src_vocab =
        SubwordModel::from_bytes(archive.blob("vocab/src"), archive.origin() + " source vocabulary");
    model.tgt_vocab =
        SubwordModel::from_bytes(archive.blob("vocab/tgt"), archive.origin() + " target vocabulary");
  } catch (const ModelFileError&) {
    throw;
  } catch (const InputError& e) {
    throw ModelFileError(e.what());
  }
  if (model.config.embedding.tie_all && model.src_vocab.vocab_size() != model.tgt_vocab.vocab_size()) {
    FERRY_THROW(ModelFileError, archive.origin() << " ties source and target embeddings but holds vocabularies of "
                                                 << model.src_vocab.vocab_size() << " and "
                                                 << model.tgt_vocab.vocab_size() << " pieces");
  }
  if (precision) {
    if (*precision == Precision::kInt8) Context::require_int8_dot_products();
    model.config.precision = *precision;
  }
  model.network = std::make_unique<Seq2Seq>(model.config, model.src_vocab.vocab_size(),
                                            model.tgt_vocab.vocab_size(), 0, Seq2Seq::Use::kInference);
  if (weight_loading.load() == WeightLoading::kMapped) {
    view_parameters(archive, model.network->params());
  } else {
    load_parameters(archive, model.network->params());
  }
  check_finite(model.network->params(), archive.origin());
  return model;
}

LoadedModel model_sharing_weights(const LoadedModel& model) {
  LoadedModel copy;
  copy.config_yaml = model.config_yaml;
  copy.config = model.config;
  copy.src_vocab = model.src_vocab;
  copy.tgt_vocab = model.tgt_vocab;
  copy.network = std::make_unique<Seq2Seq>(model.config, model.src_vocab.vocab_size(), model.tgt_vocab.vocab_size(),
                                           0, Seq2Seq::Use::kInference, &model.network->params());
  return copy;
}

LoadedModel load_model(const std::string& path, const std::optional<Precision>& precision) {
  return model_from_archive(Archive::read(path, kModelMagic, kModelFormatVersion), precision);
}

}  // namespace ferry
