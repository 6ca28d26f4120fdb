// The model folder's lock: one run at a time, the second told who holds it, and released by the kernel when
// the holder dies, however it dies.
#include "train/run_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "support/temp_dir.h"
#include "util/error.h"

namespace ferry {
namespace {

std::string lock_error(const std::string& folder) {
  try {
    RunLock lock(folder);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(RunLock, ASecondHolderIsRefusedAndToldWhoHoldsIt) {
  TempDir dir;
  {
    RunLock first(dir.path(""));
    const std::string error = lock_error(dir.path(""));
    EXPECT_NE(error.find("is in use by another train run (pid " + std::to_string(getpid()) + ", started "),
              std::string::npos)
        << error;
  }
  EXPECT_EQ(lock_error(dir.path("")), "") << "released when its holder is gone";
}

TEST(RunLock, AKilledHolderReleasesIt) {
  TempDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunLock lock(dir.path(""));
    const char byte = 1;
    if (write(ready[1], &byte, 1) != 1) _exit(1);
    pause();  // until killed
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  const std::string error = lock_error(dir.path(""));
  EXPECT_NE(error.find("(pid " + std::to_string(child) + ", started "), std::string::npos) << error;
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(ready[0]);
  close(ready[1]);
  EXPECT_EQ(lock_error(dir.path("")), "");
}

TEST(RunLock, AnUnwritableFolderIsNamed) {
  TempDir dir;
  const std::string not_a_folder = dir.write("file", "x");
  const std::string error = lock_error(not_a_folder);
  EXPECT_NE(error.find("cannot write the lock file " + not_a_folder + "/lock"), std::string::npos) << error;
}

}  // namespace
}  // namespace ferry
