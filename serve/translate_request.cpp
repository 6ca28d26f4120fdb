#include "serve/translate_request.h"

#include <cmath>
#include <cstdio>

#include "serve/json_value.h"
#include "translate/output_writer.h"
#include "util/json_line.h"

namespace ferry {
namespace {

constexpr int kBadRequest = 400;
constexpr int kTooLarge = 413;

[[noreturn]] void bad(const std::string& message) { throw RequestError(kBadRequest, message); }

int64_t integer_member(const JsonValue& value, const std::string& key, int64_t low, int64_t high) {
  if (value.kind() != JsonValue::Kind::kNumber)
    bad("\"" + key + "\" must be an integer, not " + json_kind_name(value.kind()));
  const double number = value.as_number();
  if (number != std::floor(number)) bad("\"" + key + "\" must be an integer, not " + std::to_string(number));
  if (number < static_cast<double>(low) || number > static_cast<double>(high))
    bad("\"" + key + "\" must be between " + std::to_string(low) + " and " + std::to_string(high) + ", not " +
        std::to_string(static_cast<long long>(std::fmax(std::fmin(number, 9e18), -9e18))));
  return static_cast<int64_t>(number);
}

std::string number_text(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

}  // namespace

TranslateRequest parse_translate_request(const std::string& body, const RequestLimits& limits) {
  JsonValue document = JsonValue::null();
  try {
    document = parse_json(body);
  } catch (const InputError& e) {
    bad(std::string("the body is not JSON: ") + e.what());
  }
  if (document.kind() != JsonValue::Kind::kObject)
    bad(std::string("the body must be a JSON object, not ") + json_kind_name(document.kind()));

  TranslateRequest request;
  request.beam_size = limits.default_beam_size;
  const JsonValue* n_best = nullptr;
  bool has_text = false;
  for (const auto& [key, value] : document.as_object()) {
    if (key == "text") {
      has_text = true;
      if (value.kind() != JsonValue::Kind::kArray)
        bad(std::string("\"text\" must be an array of strings, not ") + json_kind_name(value.kind()));
      if (value.as_array().size() > limits.max_lines)
        throw RequestError(kTooLarge, "\"text\" holds " + std::to_string(value.as_array().size()) +
                                          " lines; this server takes at most " +
                                          std::to_string(limits.max_lines) + " per request");
      for (size_t i = 0; i < value.as_array().size(); ++i) {
        const JsonValue& line = value.as_array()[i];
        if (line.kind() != JsonValue::Kind::kString)
          bad("\"text\"[" + std::to_string(i) + "] must be a string, not " + json_kind_name(line.kind()));
        request.lines.push_back(line.as_string());
      }
    } else if (key == "beam_size") {
      request.beam_size = integer_member(value, key, 1, limits.max_beam_size);
    } else if (key == "n_best") {
      n_best = &value;
    } else if (key == "scores") {
      if (value.kind() != JsonValue::Kind::kBool)
        bad(std::string("\"scores\" must be true or false, not ") + json_kind_name(value.kind()));
      request.scores = value.as_bool();
    } else {
      bad("unknown key \"" + key + "\" (known: text, beam_size, n_best, scores)");
    }
  }
  if (!has_text) bad("the key \"text\" (an array of strings) is missing");
  if (n_best != nullptr) request.n_best = integer_member(*n_best, "n_best", 1, request.beam_size);
  return request;
}

std::string translate_response(const TranslateRequest& request, const std::vector<NBest>& results,
                               const SubwordModel& tgt_vocab, const std::vector<LineWarning>& warnings) {
  std::string translations, scores, lists;
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string separator = i == 0 ? "" : ", ";
    const NBest& list = results[i];
    translations += separator + json_quote(list.empty() ? "" : one_line_text(tgt_vocab, list.front().tokens));
    scores += separator + number_text(list.empty() ? 0.0 : list.front().score);
    lists += separator + "[";
    for (size_t k = 0; k < list.size(); ++k)
      lists += (k == 0 ? "{\"translation\": " : ", {\"translation\": ") +
               json_quote(one_line_text(tgt_vocab, list[k].tokens)) + ", \"score\": " +
               number_text(list[k].score) + "}";
    lists += "]";
  }
  JsonLine answer;
  answer.add_raw("translations", "[" + translations + "]");
  if (request.scores) answer.add_raw("scores", "[" + scores + "]");
  if (request.n_best > 1) answer.add_raw("n_best", "[" + lists + "]");
  if (!warnings.empty()) {
    std::string items;
    for (const LineWarning& w : warnings)
      items += (items.empty() ? "" : ", ") +
               JsonLine().add("line", static_cast<int64_t>(w.line)).add("message", w.message).str();
    answer.add_raw("warnings", "[" + items + "]");
  }
  return answer.str() + "\n";
}

std::string error_body(const std::string& message) { return JsonLine().add("error", message).str() + "\n"; }

}  // namespace ferry
