#include "train/metrics_log.h"

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"

namespace ferry {
namespace {

// The "step" of a metrics line; a line without one counts as step 0.
int64_t step_of(const std::string& line) {
  const std::string key = "\"step\": ";
  const size_t at = line.find(key);
  if (at == std::string::npos) return 0;
  return std::strtoll(line.c_str() + at + key.size(), nullptr, 10);
}

}  // namespace

std::string metrics_up_to_step(const std::string& text, int64_t step) {
  std::string kept;
  for (size_t begin = 0, end; (end = text.find('\n', begin)) != std::string::npos; begin = end + 1) {
    const std::string line = text.substr(begin, end - begin);
    if (step_of(line) <= step) kept += line + "\n";
  }
  return kept;
}

MetricsLog::MetricsLog(const std::string& path, std::optional<int64_t> resumed_step) : path_(path) {
  if (resumed_step && file_exists(path)) {
    const std::string text = read_file(path);
    const std::string kept = metrics_up_to_step(text, *resumed_step);
    if (kept != text) {
      write_file_atomic(path, kept);
      log_info() << path << ": dropped what was written after the checkpoint of step " << *resumed_step;
    }
  }
  out_.open(path, resumed_step ? std::ios::app : std::ios::trunc);
  if (!out_) FERRY_THROW(InputError, "cannot open '" << path << "' for writing: " << std::strerror(errno));
}

void MetricsLog::write(const JsonLine& line) {
  out_ << line.str() << "\n" << std::flush;
  if (!out_) FERRY_THROW(InputError, "cannot write to '" << path_ << "'");
}

}  // namespace ferry
