// The server's routes on cpp-httplib: POST /translate through the translation queue, GET /health, GET /info,
// and JSON bodies for every error the HTTP layer answers itself (404, 413, ...).
#pragma once

#include <httplib.h>

#include <string>

#include "serve/translate_request.h"
#include "serve/translation_queue.h"

namespace ferry {

// Everything the routes read must outlive the server. `info_json` is GET /info's answer.
void install_routes(httplib::Server& server, TranslationQueue& queue, const SubwordModel& tgt_vocab,
                    const RequestLimits& limits, const std::string& info_json);

}  // namespace ferry
