// libFuzzer target: the YAML config reader, with `--set` overrides, over whole run configs. Any input either
// reads or is refused with a ferry::Error; anything else (a crash, a sanitizer report, another exception)
// is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "train/run_config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input is a config document, optionally followed by override lines after a line "---set".
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n---set\n");
  try {
    ferry::ConfigSource source = ferry::ConfigSource::parse(input.substr(0, split), "fuzz.yaml");
    if (split != std::string::npos) {
      size_t at = split + 8;
      while (at < input.size()) {
        const size_t end = input.find('\n', at);
        source.apply_override(input.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
      }
    }
    ferry::read_run_config(source, /*check_files=*/false);
  } catch (const ferry::Error&) {
  }
  return 0;
}
