// The lock a training run holds on its model folder for its whole life: an exclusive flock on
// <model_dir>/lock, released by the kernel when the process ends, however it ends. The file names the
// holder (pid and start time) for the message a second run gets.
#pragma once

#include <string>

namespace ferry {

class RunLock {
 public:
  // Takes the lock. InputError (exit 2) naming the other run's pid and start time if another process holds
  // it, or naming the folder if the lock file cannot be written there (a read-only folder).
  explicit RunLock(const std::string& model_dir);
  ~RunLock();
  RunLock(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  RunLock& operator=(RunLock&&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace ferry
