#include "train/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "util/error.h"

namespace ferry {
namespace {

// What the lock file says of its holder: "pid 1234, started 2026-12-04 05:20:49 UTC".
std::string holder_text() {
  const std::time_t now = std::time(nullptr);
  char started[32];
  std::strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  return "pid " + std::to_string(getpid()) + ", started " + started;
}

std::string read_holder(int fd) {
  char buffer[256] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text.empty() ? "a process that has not yet named itself" : text;
}

}  // namespace

RunLock::RunLock(const std::string& model_dir) : path_(model_dir + "/lock") {
  fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    FERRY_THROW(InputError, "cannot write the lock file " << path_ << " (" << std::strerror(errno)
                                                          << "): the model folder must be writable");
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = read_holder(fd_);
    close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      FERRY_THROW(InputError, "the model folder " << model_dir << " is in use by another train run ("
                                                  << holder
                                                  << "); wait for it to end, or give this run another "
                                                     "training.model_dir");
    }
    FERRY_THROW(InputError, "cannot lock " << path_ << ": " << std::strerror(error));
  }
  const std::string holder = holder_text() + "\n";
  if (ftruncate(fd_, 0) != 0 ||
      pwrite(fd_, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
    const int error = errno;
    close(fd_);
    fd_ = -1;
    FERRY_THROW(InputError, "cannot write the lock file " << path_ << ": " << std::strerror(error));
  }
}

RunLock::RunLock(RunLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

RunLock::~RunLock() {
  if (fd_ >= 0) close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace ferry
