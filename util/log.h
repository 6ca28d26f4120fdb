// Leveled logging to stderr (and optionally a file), one timestamped line per message.
#pragma once

#include <sstream>
#include <string>

namespace ferry {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Messages below this level are dropped (default kInfo).
void set_log_level(LogLevel level);
// Also append every message to this file (empty path: stop). Throws InputError if it cannot be opened.
void set_log_file(const std::string& path);
// Writes one line: "[YYYY-MM-DD hh:mm:ss] message", with "warning: "/"error: " after the stamp where due.
void log_line(LogLevel level, const std::string& message);

// Streams a message and emits it when destroyed: LogMessage(LogLevel::kInfo) << "read " << n << " lines";
class LogMessage {
 public:
  explicit LogMessage(LogLevel level) : level_(level) {}
  ~LogMessage() { log_line(level_, stream_.str()); }
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;

  template <typename T>
  LogMessage& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};

inline LogMessage log_info() { return LogMessage(LogLevel::kInfo); }
inline LogMessage log_warning() { return LogMessage(LogLevel::kWarning); }
inline LogMessage log_debug() { return LogMessage(LogLevel::kDebug); }

}  // namespace ferry
