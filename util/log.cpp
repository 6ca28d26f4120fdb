#include "util/log.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>

#include "util/error.h"

namespace ferry {
namespace {

struct LogState {
  std::mutex mutex;
  LogLevel level = LogLevel::kInfo;
  std::ofstream file;
};

LogState& state() {
  static LogState instance;
  return instance;
}

std::string timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "[%Y-%m-%d %H:%M:%S] ", &local);
  return buffer;
}

}  // namespace

void set_log_level(LogLevel level) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().level = level;
}

void set_log_file(const std::string& path) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().file.close();
  if (path.empty()) return;
  state().file.open(path, std::ios::app);
  if (!state().file) FERRY_THROW(InputError, "cannot open log file '" << path << "': " << std::strerror(errno));
}

void log_line(LogLevel level, const std::string& message) {
  LogState& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (level < s.level) return;
  const char* tag = level == LogLevel::kWarning ? "warning: " : level == LogLevel::kError ? "error: " : "";
  std::string line = timestamp() + tag + message + "\n";
  std::cerr << line << std::flush;
  if (s.file.is_open()) s.file << line << std::flush;
}

}  // namespace ferry
