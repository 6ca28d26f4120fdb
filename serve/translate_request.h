// The body of POST /translate: what it may hold, how it is checked, and the answer built from the results.
//   request:  {"text": ["...", ...], "beam_size": 5, "n_best": 1, "scores": false}   (all but text optional)
//   answer:   {"translations": ["...", ...]}, with "scores": [...] when asked (each best hypothesis's
//             length-normalised score), "n_best": [[{"translation": "...", "score": s}, ...], ...] when
//             n_best > 1, and "warnings": [{"line": i, "message": "..."}] for repaired or cut lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/subword.h"
#include "translate/hypothesis.h"
#include "util/error.h"

namespace ferry {

// A request the server answers with an HTTP error: 400 for a malformed one, 413 for one past the limits.
class RequestError : public InputError {
 public:
  RequestError(int status, const std::string& message) : InputError(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct RequestLimits {
  size_t max_lines = 1000;             // sentences per request
  size_t max_bytes = 1 << 20;          // body bytes (checked by the HTTP layer before reading)
  int64_t max_beam_size = 256;         // as the decoding section allows
  int64_t default_beam_size = 5;       // the model's decoding.beam_size
};

struct TranslateRequest {
  std::vector<std::string> lines;
  int64_t beam_size = 5;
  int64_t n_best = 1;
  bool scores = false;
};

// Reads and checks a body: RequestError 400 naming the problem (not JSON, not an object, an unknown key, a
// wrong type, a value out of range), 413 for more lines than the limit.
TranslateRequest parse_translate_request(const std::string& body, const RequestLimits& limits);

// A repair made to one input line before translation.
struct LineWarning {
  size_t line = 0;  // 0-based, in the request's order
  std::string message;
};

// The answer to `request`: results[i] is line i's n-best list (an empty list stands for an empty output).
std::string translate_response(const TranslateRequest& request, const std::vector<NBest>& results,
                               const SubwordModel& tgt_vocab, const std::vector<LineWarning>& warnings);

// {"error": message}
std::string error_body(const std::string& message);

}  // namespace ferry
