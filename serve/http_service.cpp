#include "serve/http_service.h"

#include <exception>
#include <vector>

#include "util/log.h"

namespace ferry {
namespace {

constexpr const char* kJson = "application/json";

void answer_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(error_body(message), kJson);
}

void translate_route(const httplib::Request& req, httplib::Response& res, TranslationQueue& queue,
                     const SubwordModel& tgt_vocab, const RequestLimits& limits) {
  TranslateRequest request;
  try {
    request = parse_translate_request(req.body, limits);
  } catch (const RequestError& e) {
    answer_error(res, e.status(), e.what());
    return;
  }
  QueuedTranslation done;
  if (!request.lines.empty()) {
    try {
      // The answer shows scores when asked for, and in n-best lists.
      done = queue.translate(request.lines, request.beam_size, request.n_best,
                             request.scores || request.n_best > 1);
    } catch (const InputError& e) {
      answer_error(res, 400, e.what());
      return;
    } catch (const std::exception& e) {
      log_warning() << "POST /translate: " << e.what();
      answer_error(res, 503, e.what());
      return;
    }
  }
  res.set_content(translate_response(request, done.results, tgt_vocab, done.warnings), kJson);
}

}  // namespace

void install_routes(httplib::Server& server, TranslationQueue& queue, const SubwordModel& tgt_vocab,
                    const RequestLimits& limits, const std::string& info_json) {
  server.set_payload_max_length(limits.max_bytes);
  server.Post("/translate", [&queue, &tgt_vocab, limits](const httplib::Request& req, httplib::Response& res) {
    translate_route(req, res, queue, tgt_vocab, limits);
  });
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\": \"ok\"}\n", kJson);
  });
  server.Get("/info", [info_json](const httplib::Request&, httplib::Response& res) {
    res.set_content(info_json, kJson);
  });
  // What the HTTP layer answers by itself (no route, a body past the limit) gets a JSON body too.
  const size_t max_bytes = limits.max_bytes;
  server.set_error_handler([max_bytes](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      res.set_content(error_body("the body is larger than " + std::to_string(max_bytes) + " bytes"), kJson);
    else if (res.status == 404)
      res.set_content(error_body("no route " + req.method + " " + req.path +
                                 " (routes: POST /translate, GET /health, GET /info)"),
                      kJson);
    else
      res.set_content(error_body("HTTP status " + std::to_string(res.status)), kJson);
  });
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = e.what();
        } catch (...) {
        }
        log_warning() << req.method << " " << req.path << ": " << message;
        answer_error(res, 500, message);
      });
}

}  // namespace ferry
