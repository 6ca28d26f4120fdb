#include "support/process.h"

#include <sys/wait.h>

#include <cstdlib>
#include <stdexcept>

#include "support/temp_dir.h"
#include "util/file_io.h"

namespace ferry {

ProcessResult run_command(const std::string& command, const std::string& input) {
  TempDir dir;
  const std::string in = dir.write("stdin", input);
  const std::string full = "(" + command + ") < '" + in + "' > '" + dir.path("stdout") + "' 2> '" +
                           dir.path("stderr") + "'";
  const int status = std::system(full.c_str());
  if (status == -1) throw std::runtime_error("cannot run: " + command);
  ProcessResult result;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.out = read_file(dir.path("stdout"));
  result.err = read_file(dir.path("stderr"));
  return result;
}

}  // namespace ferry
