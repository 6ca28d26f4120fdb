#include "util/config_reader.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace ferry {
namespace {

// Reads a small two-section schema the way the toolkit's configs are read.
struct Sample {
  int64_t layers;
  double dropout;
  std::string cell;
  std::string path;
  bool flag;
};

Sample read_sample(const ConfigSource& source) {
  ConfigReader root(source);
  ConfigReader model = root.section("model", "the model");
  ConfigReader encoder = model.section("encoder", "the encoder");
  Sample s;
  s.layers = encoder.integer("layers", 2, 1, 16, "layers");
  s.dropout = encoder.real("dropout", 0.3, 0.0, 0.99, "dropout");
  s.cell = encoder.choice("cell", "lstm", {"lstm", "gru", "rnn"}, "cell");
  s.flag = encoder.boolean("residual", false, "residual");
  ConfigReader data = root.section("data", "data");
  s.path = data.required_text("train", "training file");
  root.reject_unknown_keys();
  return s;
}

std::string error_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    ConfigSource source = ConfigSource::parse(yaml, "test.yaml");
    for (const auto& o : overrides) source.apply_override(o);
    read_sample(source);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "";
}

TEST(ConfigReader, ReadsValuesAndDefaults) {
  ConfigSource source = ConfigSource::parse("model:\n  encoder:\n    layers: 4\n    cell: gru\ndata:\n  train: a.gz\n",
                                            "test.yaml");
  Sample s = read_sample(source);
  EXPECT_EQ(s.layers, 4);
  EXPECT_DOUBLE_EQ(s.dropout, 0.3);
  EXPECT_EQ(s.cell, "gru");
  EXPECT_EQ(s.path, "a.gz");
  EXPECT_FALSE(s.flag);
}

TEST(ConfigReader, KeyWithoutValueIsAnErrorNotTheDefault) {
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    layers:\n"),
            "key 'model.encoder.layers' at test.yaml:5: has no value (leave the key out to take its default)");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"model.encoder.dropout="}),
            "key 'model.encoder.dropout' at --set model.encoder.dropout=: has no value (leave the key out to take "
            "its default)");
  EXPECT_EQ(error_of("data:\n  train:\n"), "key 'data.train' at test.yaml:2: is required but missing");
  // An empty section is still a section without keys.
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n"), "");
}

TEST(ConfigReader, UnknownKeyNamesFileLineAndSuggests) {
  const std::string message = error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    layer: 3\n");
  EXPECT_EQ(message, "unknown key 'model.encoder.layer' at test.yaml:5; did you mean 'model.encoder.layers'?");
}

TEST(ConfigReader, UnknownKeyInWrongSectionSuggestsTheRightOne) {
  const std::string message = error_of("data:\n  train: a.gz\n  layers: 3\n");
  EXPECT_EQ(message, "unknown key 'data.layers' at test.yaml:3; did you mean 'model.encoder.layers'?");
}

TEST(ConfigReader, UnknownSectionIsRejected) {
  const std::string message = error_of("data:\n  train: a.gz\nmodle:\n  x: 1\n");
  EXPECT_EQ(message, "unknown key 'modle' at test.yaml:3; did you mean 'model'?");
}

TEST(ConfigReader, WrongTypeNamesKeyAndLine) {
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    layers: two\n"),
            "key 'model.encoder.layers' at test.yaml:5: must be an integer, got 'two'");
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    residual: maybe\n"),
            "key 'model.encoder.residual' at test.yaml:5: must be true or false, got 'maybe'");
  EXPECT_EQ(error_of("data:\n  train: [a, b]\n"), "key 'data.train' at test.yaml:2: must be a non-empty value");
}

TEST(ConfigReader, OutOfRangeAndBadChoice) {
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    dropout: 1.5\n"),
            "key 'model.encoder.dropout' at test.yaml:5: must be in [0, 0.99], got 1.5");
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel:\n  encoder:\n    cell: lstn\n"),
            "key 'model.encoder.cell' at test.yaml:5: must be one of: lstm, gru, rnn; got 'lstn'; did you mean "
            "'lstm'?");
}

TEST(ConfigReader, MissingRequiredKey) {
  EXPECT_EQ(error_of("model:\n  encoder:\n    layers: 2\n"), "key 'data.train' at test.yaml: is required but missing");
}

TEST(ConfigReader, SectionGivenAsScalar) {
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel: 3\n"), "key 'model' at test.yaml:3: must be a section (a mapping of keys)");
}

TEST(ConfigReader, OverridesGoThroughTheSameChecks) {
  ConfigSource source = ConfigSource::parse("data:\n  train: a.gz\n", "test.yaml");
  source.apply_override("model.encoder.layers=5");
  EXPECT_EQ(read_sample(source).layers, 5);

  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"model.encoder.layers=0"}),
            "key 'model.encoder.layers' at --set model.encoder.layers=0: must be in [1, 16], got 0");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"model.encoder.layer=3"}),
            "unknown key 'model.encoder.layer' at --set model.encoder.layer=3; did you mean 'model.encoder.layers'?");
}

TEST(ConfigReader, MalformedOverrides) {
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"layers"}), "--set layers: expected section.key=value");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"layers=3"}), "--set layers=3: expected section.key=value");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"data.train.src=x"}), "--set data.train.src=x: 'train' is not a section");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"model..layers=3"}),
            "--set model..layers=3: empty name in key path 'model..layers'");
}

TEST(ConfigReader, InvalidYamlNamesTheLine) {
  try {
    ConfigSource::parse("data:\n  train: [a\n", "bad.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml is not valid YAML"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("line"), std::string::npos) << e.what();
  }
}

TEST(ConfigReader, DuplicateKeyNamesBothLines) {
  EXPECT_EQ(
      error_of("model:\n  encoder:\n    layers: 2\n    cell: gru\n    layers: 4\ndata:\n  train: a.gz\n"),
      "key 'model.encoder.layers' is given twice: at test.yaml:3 and at test.yaml:5");
  EXPECT_EQ(error_of("data: {train: a.gz, train: b.gz}\n"),
            "key 'data.train' is given twice: at test.yaml:1 and at test.yaml:1");
  EXPECT_EQ(error_of("data:\n  train: a.gz\nmodel: {}\ndata:\n  train: b.gz\n"),
            "key 'data' is given twice: at test.yaml:1 and at test.yaml:4");
  EXPECT_EQ(error_of("data:\n  train: a.gz\n", {"model.encoder={layers: 1, layers: 2}"}),
            "key 'model.encoder.layers' is given twice in --set model.encoder={layers: 1, layers: 2}");
}

TEST(ConfigReader, DeclaredKeysDocumentDefaults) {
  ConfigSource source = ConfigSource::parse("data:\n  train: a.gz\n", "test.yaml");
  ConfigReader root(source);
  ConfigReader model = root.section("model", "the model");
  model.integer("layers", 2, 1, 16, "number of layers");
  bool found = false;
  for (const auto& info : root.declared()) {
    if (info.path == "model.layers") {
      found = true;
      EXPECT_EQ(info.fallback, "2");
      EXPECT_EQ(info.kind, "integer in [1, 16]");
      EXPECT_EQ(info.help, "number of layers");
    }
  }
  EXPECT_TRUE(found);
}

TEST(EditDistance, Basics) {
  EXPECT_EQ(edit_distance("layer", "layers"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(closest_match("hiden", {"hidden", "layers"}), "hidden");
  EXPECT_EQ(closest_match("zzzzzz", {"hidden", "layers"}), "");
}

}  // namespace
}  // namespace ferry
