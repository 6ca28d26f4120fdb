// libFuzzer target: the server's request reader (JSON, then the request's keys and limits). Any body must be
// read or refused with a RequestError: no crash, no deep recursion, no other exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "serve/translate_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  ferry::RequestLimits limits;
  limits.max_lines = 8;
  try {
    ferry::parse_translate_request(body, limits);
  } catch (const ferry::RequestError&) {
  }
  return 0;
}
