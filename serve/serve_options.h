// The command line of `serve`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/precision.h"
#include "serve/translate_request.h"
#include "serve/translation_queue.h"

namespace ferry {

struct ServeOptions {
  bool help = false;
  std::string help_text;
  std::vector<std::string> models;  // one, or an ensemble; none: config_path, FERRY_MODEL
  std::string config_path;
  std::optional<Precision> precision;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the log line "listening on" names it)
  int connections = 64;  // requests served at once; more wait for a free handler
  QueueOptions queue;
  RequestLimits limits;
};

// Parses argv; InputError (exit 2) for unknown, malformed or out-of-range options.
ServeOptions parse_serve_options(int argc, char** argv);

}  // namespace ferry
