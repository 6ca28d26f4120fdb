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

}  // namespace ferry
