#include "support/process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "support/temp_dir.h"
#include "util/file_io.h"

namespace ferry {

namespace {

ProcessResult result_of(int status, const TempDir& dir) {
  ProcessResult result;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.out = read_file(dir.path("stdout"));
  result.err = read_file(dir.path("stderr"));
  return result;
}

}  // namespace

ProcessResult run_with_pending_signal(const std::string& command, int signal_number) {
  TempDir dir;
  // sh replaces itself with the program (exec), which keeps the blocked mask and the pending signal.
  const std::string full = "exec " + command + " < /dev/null > '" + dir.path("stdout") + "' 2> '" +
                           dir.path("stderr") + "'";
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("cannot fork for: " + command);
  if (child == 0) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, signal_number);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    kill(getpid(), signal_number);  // to the process, so that any of its threads may take it
    execl("/bin/sh", "sh", "-c", full.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) throw std::runtime_error("lost the process of: " + command);
  return result_of(status, dir);
}

ProcessResult run_command(const std::string& command, const std::string& input) {
  TempDir dir;
  const std::string in = dir.write("stdin", input);
  const std::string full = "(" + command + ") < '" + in + "' > '" + dir.path("stdout") + "' 2> '" +
                           dir.path("stderr") + "'";
  const int status = std::system(full.c_str());
  if (status == -1) throw std::runtime_error("cannot run: " + command);
  return result_of(status, dir);
}

}  // namespace ferry
