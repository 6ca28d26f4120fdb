// Runs a program in a shell for end-to-end tests, capturing its exit status and output.
#pragma once

#include <string>

namespace ferry {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal if killed by one
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh in the current folder; `input` goes to its standard input.
ProcessResult run_command(const std::string& command, const std::string& input = "");

// Runs one program (`command`: a program and its arguments, as sh reads them) with signal `signal_number`
// already pending when it starts: blocked, sent to the process, and kept pending through exec. What the
// program does with a signal that arrives before anything else, without a race against its start-up.
ProcessResult run_with_pending_signal(const std::string& command, int signal_number);

}  // namespace ferry
