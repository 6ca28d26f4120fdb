// A server program started by a test in the background: its port read from its "listening on" log line, its
// log (standard error) kept in a file, and its end observed.
#pragma once

#include <sys/types.h>

#include <string>

#include "support/temp_dir.h"

namespace ferry {

class ServerProcess {
 public:
  // Runs `command` (a program and its options as sh reads them, listening with --port 0) and waits until it
  // logs "listening on http://HOST:PORT". std::runtime_error with the log if it exits first or takes longer
  // than a minute.
  explicit ServerProcess(const std::string& command);
  // Kills the server if it still runs.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // Sends the signal without waiting.
  void signal(int signal_number) const;
  // Waits for the end (at most a minute, then kills it): the exit status, 128 + signal if killed by one.
  int wait();
  std::string log() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace ferry
