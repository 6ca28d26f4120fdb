#include "translate/decode_config.h"

#include "util/config_source.h"
#include "util/error.h"

namespace ferry {

DecodeConfig read_decode_config(ConfigReader& decoding) {
  DecodeConfig c;
  c.beam_size =
      decoding.integer("beam_size", c.beam_size, 1, 256, "hypotheses kept per sentence (1: greedy)");
  c.normalize = decoding.choice("normalize", c.normalize, {"gnmt", "length", "none"},
                                "how finished hypotheses' log-probabilities are compared across lengths");
  c.length_penalty = decoding.real("length_penalty", c.length_penalty, 0.0, 10.0,
                                   "GNMT length normalisation alpha (0: none)");
  c.max_length_factor = decoding.real("max_length_factor", c.max_length_factor, 0.1, 100.0,
                                      "longest output relative to the source length");
  c.max_length_offset = decoding.integer("max_length_offset", c.max_length_offset, 0, 10000,
                                         "tokens allowed beyond max_length_factor x source length");
  c.batch_size = decoding.integer("batch_size", c.batch_size, 1, 100000, "sentences translated together");
  c.max_input_length = decoding.integer("max_input_length", c.max_input_length, 1, 100000,
                                        "source subwords kept per input line; longer lines are cut");
  return c;
}

namespace {

DecodeConfig read_section(const ConfigSource& source) {
  ConfigReader root(source);
  ConfigReader decoding = root.section("decoding", "translation search");
  return read_decode_config(decoding);
}

// The model's config document, whose decoding section must be valid as it is.
ConfigSource model_config(const std::string& config_yaml, const std::string& origin) {
  try {
    ConfigSource source = ConfigSource::parse(config_yaml, origin + " config");
    read_section(source);
    return source;
  } catch (const ConfigError& e) {
    FERRY_THROW(ModelFileError, origin << " holds an invalid decoding config: " << e.what());
  }
}

}  // namespace

DecodeConfig decode_config_of_model(const std::string& config_yaml, const std::string& origin,
                                    const std::vector<DecodingOverride>& overrides) {
  ConfigSource source = model_config(config_yaml, origin);
  for (const DecodingOverride& o : overrides)
    source.apply_override("decoding." + o.key + "=" + o.value, o.origin);
  return read_section(source);
}

}  // namespace ferry
