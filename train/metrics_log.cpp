#include "train/metrics_log.h"

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace ferry {

MetricsLog::MetricsLog(const std::string& path, bool fresh)
    : path_(path), out_(path, fresh ? std::ios::trunc : std::ios::app) {
  if (!out_) FERRY_THROW(InputError, "cannot open '" << path << "' for writing: " << std::strerror(errno));
}

void MetricsLog::write(const JsonLine& line) {
  out_ << line.str() << "\n" << std::flush;
  if (!out_) FERRY_THROW(InputError, "cannot write to '" << path_ << "'");
}

}  // namespace ferry
