#include "serve/translate_request.h"

#include <gtest/gtest.h>

#include <string>

#include "serve/json_value.h"
#include "support/corpus.h"

namespace ferry {
namespace {

// The status and message of the RequestError parsing `body` throws (status 0 if it parses).
std::pair<int, std::string> refusal(const std::string& body, const RequestLimits& limits = {}) {
  try {
    parse_translate_request(body, limits);
  } catch (const RequestError& e) {
    return {e.status(), e.what()};
  }
  return {0, ""};
}

TEST(TranslateRequest, ReadsTheLinesAndOptions) {
  RequestLimits limits;
  limits.default_beam_size = 4;
  const TranslateRequest plain = parse_translate_request(R"({"text": ["Ein Hund.", ""]})", limits);
  EXPECT_EQ(plain.lines, (std::vector<std::string>{"Ein Hund.", ""}));
  EXPECT_EQ(plain.beam_size, 4);  // the model's default
  EXPECT_EQ(plain.n_best, 1);
  EXPECT_FALSE(plain.scores);
  const TranslateRequest full =
      parse_translate_request(R"({"n_best": 3, "scores": true, "text": [], "beam_size": 3})", limits);
  EXPECT_TRUE(full.lines.empty());
  EXPECT_EQ(full.beam_size, 3);
  EXPECT_EQ(full.n_best, 3);  // checked against the beam size given after it
  EXPECT_TRUE(full.scores);
}

TEST(TranslateRequest, RefusesMalformedRequestsWith400NamingTheProblem) {
  EXPECT_EQ(refusal("hello"), std::make_pair(400, std::string("the body is not JSON: byte 0: expected a value")));
  EXPECT_EQ(refusal("[\"a\"]"), std::make_pair(400, std::string("the body must be a JSON object, not an array")));
  EXPECT_EQ(refusal("{}"),
            std::make_pair(400, std::string("the key \"text\" (an array of strings) is missing")));
  EXPECT_EQ(refusal(R"({"text": "a"})"),
            std::make_pair(400, std::string("\"text\" must be an array of strings, not a string")));
  EXPECT_EQ(refusal(R"({"text": ["a", 2]})"),
            std::make_pair(400, std::string("\"text\"[1] must be a string, not a number")));
  EXPECT_EQ(refusal(R"({"text": [], "beam": 2})"),
            std::make_pair(400, std::string("unknown key \"beam\" (known: text, beam_size, n_best, scores)")));
  EXPECT_EQ(refusal(R"({"text": [], "beam_size": "5"})"),
            std::make_pair(400, std::string("\"beam_size\" must be an integer, not a string")));
  EXPECT_EQ(refusal(R"({"text": [], "beam_size": 2.5})").first, 400);
  EXPECT_EQ(refusal(R"({"text": [], "beam_size": 0})"),
            std::make_pair(400, std::string("\"beam_size\" must be between 1 and 256, not 0")));
  EXPECT_EQ(refusal(R"({"text": [], "beam_size": 1e300})").first, 400);
  EXPECT_EQ(refusal(R"({"text": [], "beam_size": 2, "n_best": 3})"),
            std::make_pair(400, std::string("\"n_best\" must be between 1 and 2, not 3")));
  EXPECT_EQ(refusal(R"({"text": [], "scores": 1})"),
            std::make_pair(400, std::string("\"scores\" must be true or false, not a number")));
}

TEST(TranslateRequest, RefusesMoreLinesThanTheLimitWith413) {
  RequestLimits limits;
  limits.max_lines = 2;
  EXPECT_EQ(refusal(R"({"text": ["a", "b"]})", limits).first, 0);
  EXPECT_EQ(refusal(R"({"text": ["a", "b", "c"]})", limits),
            std::make_pair(413, std::string("\"text\" holds 3 lines; this server takes at most 2 per request")));
}

// A small English subword model, so that answers hold real decoded text.
SubwordModel english_vocab() {
  SubwordConfig config;
  config.size = 300;
  return SubwordModel::from_bytes(SubwordModel::train(multi30k_lines("train.en.gz", 2000), config, 1, 1), "en");
}

Hypothesis hypothesis(const SubwordModel& vocab, const std::string& text, double score) {
  Hypothesis h;
  h.tokens = vocab.encode(text);
  h.score = score;
  h.log_prob = score * 2;
  return h;
}

TEST(TranslateRequest, AnswersOneTranslationPerLineWithWhatWasAskedFor) {
  const SubwordModel vocab = english_vocab();
  TranslateRequest request;
  request.lines = {"Ein Hund.", "", "Zwei \"Männer\"."};
  const std::vector<NBest> results = {
      {hypothesis(vocab, "A dog.", -0.5), hypothesis(vocab, "The dog.", -1.25)},
      {},  // an empty output
      {hypothesis(vocab, "Two \"men\".", -2)}};
  EXPECT_EQ(translate_response(request, results, vocab, {}),
            R"({"translations": ["A dog.", "", "Two \"men\"."]})" "\n");

  request.scores = true;
  request.n_best = 2;
  const JsonValue answer = parse_json(translate_response(request, results, vocab, {{1, "cut to 250 subwords"}}));
  ASSERT_EQ(answer.find("translations")->as_array().size(), 3u);
  const auto& scores = answer.find("scores")->as_array();
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_EQ(scores[0].as_number(), -0.5);
  EXPECT_EQ(scores[1].as_number(), 0);
  EXPECT_EQ(scores[2].as_number(), -2);
  const auto& lists = answer.find("n_best")->as_array();
  ASSERT_EQ(lists.size(), 3u);
  ASSERT_EQ(lists[0].as_array().size(), 2u);
  EXPECT_EQ(lists[0].as_array()[1].find("translation")->as_string(), "The dog.");
  EXPECT_EQ(lists[0].as_array()[1].find("score")->as_number(), -1.25);
  EXPECT_EQ(lists[1].as_array().size(), 0u);
  EXPECT_EQ(lists[2].as_array()[0].find("translation")->as_string(), "Two \"men\".");
  const auto& warnings = answer.find("warnings")->as_array();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].find("line")->as_number(), 1);
  EXPECT_EQ(warnings[0].find("message")->as_string(), "cut to 250 subwords");
}

TEST(TranslateRequest, ErrorBodiesAreJsonWithTheMessage) {
  const JsonValue body = parse_json(error_body("\"text\" must be an array"));
  EXPECT_EQ(body.find("error")->as_string(), "\"text\" must be an array");
}

}  // namespace
}  // namespace ferry
