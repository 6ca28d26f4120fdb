// Decoding options reach the search by one path: the model's `decoding` section read with translate's flags
// applied as overrides, so the YAML keys and the flags share their defaults and bounds.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "translate/translate_options.h"
#include "util/error.h"

namespace ferry {
namespace {

TranslateOptions options_of(std::vector<std::string> args) {
  args.insert(args.begin(), {"translate", "--model", "m.bin"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return parse_translate_options(static_cast<int>(argv.size()), argv.data());
}

// The error of reading a model config's decoding section with the flags applied, or "" if none.
std::string error_of(const std::string& model_yaml, const std::vector<std::string>& flags) {
  try {
    effective_decode_config(model_yaml, "m.bin", options_of(flags));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(DecodeOptions, DefaultsModelSectionAndFlagsInThatOrder) {
  const DecodeConfig defaults = effective_decode_config("", "m.bin", options_of({}));
  EXPECT_EQ(defaults.beam_size, DecodeConfig().beam_size);
  EXPECT_EQ(defaults.length_penalty, DecodeConfig().length_penalty);
  const std::string model = "decoding: {beam_size: 3, length_penalty: 1.0}\n";
  const DecodeConfig from_model = effective_decode_config(model, "m.bin", options_of({}));
  EXPECT_EQ(from_model.beam_size, 3);
  EXPECT_EQ(from_model.length_penalty, 1.0);
  const DecodeConfig flags =
      effective_decode_config(model, "m.bin", options_of({"--beam-size", "7", "--normalize", "length"}));
  EXPECT_EQ(flags.beam_size, 7);
  EXPECT_EQ(flags.normalize, "length");
  EXPECT_EQ(flags.length_penalty, 1.0);
}

// Each bound holds alike for the key in the model's config and for its flag, which the message names.
TEST(DecodeOptions, FlagsHaveTheSectionsBounds) {
  struct Case {
    const char* key;
    const char* flag;
    const char* bad;
  };
  for (const Case& c :
       {Case{"beam_size", "--beam-size", "20000"}, Case{"beam_size", "--beam-size", "0"},
        Case{"length_penalty", "--length-penalty", "11"}, Case{"length_penalty", "--length-penalty", "-1"},
        Case{"max_length_factor", "--max-length-factor", "0.05"},
        Case{"max_length_offset", "--max-length-offset", "-1"},
        Case{"max_input_length", "--max-input-length", "0"}, Case{"batch_size", "--batch-size", "0"},
        Case{"normalize", "--normalize", "sqrt"}, Case{"beam_size", "--beam-size", "five"}}) {
    const std::string in_model = error_of(std::string("decoding: {") + c.key + ": " + c.bad + "}\n", {});
    EXPECT_NE(
        in_model.find("m.bin holds an invalid decoding config: key 'decoding." + std::string(c.key) + "'"),
        std::string::npos)
        << in_model;
    const std::string from_flag = error_of("", {c.flag, c.bad});
    EXPECT_NE(from_flag.find("key 'decoding." + std::string(c.key) + "' at " + c.flag + " " + c.bad + ":"),
              std::string::npos)
        << from_flag;
    // The same complaint after the place.
    EXPECT_EQ(in_model.substr(in_model.rfind(": ") + 2), from_flag.substr(from_flag.rfind(": ") + 2))
        << c.key << " = " << c.bad;
  }
}

TEST(DecodeOptions, SearchOptionsCheckWhatTheSectionDoesNotHold) {
  const TranslateOptions o = options_of({"--n-best", "3", "--beam-size", "2"});
  const DecodeConfig config = effective_decode_config("", "m.bin", o);
  EXPECT_THROW(effective_search_options(config, o), InputError);
  EXPECT_THROW(
      effective_search_options(effective_decode_config("", "m.bin", options_of({"--temperature", "0"})),
                               options_of({"--temperature", "0"})),
      InputError);
}

}  // namespace
}  // namespace ferry
