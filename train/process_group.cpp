#include "train/process_group.h"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "util/error.h"
#include "util/log.h"

namespace ferry {
namespace {

// Open MPI's launchers set these in every process they start.
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}

// Waits for a non-blocking collective, polling, for at most `timeout` seconds; past it, the job ends.
void wait_for(MPI_Request& request, double timeout, const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
  for (int done = 0;;) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    if (std::chrono::steady_clock::now() > deadline) {
      log_line(LogLevel::kError, std::string("no answer from the other processes within ") +
                                     std::to_string(static_cast<int64_t>(timeout)) + " s (" + what +
                                     ", training.collective_timeout): a process died or hangs; ending the job");
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

}  // namespace

ProcessGroup::ProcessGroup() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  mpi_ = true;
  threads_allowed_ = provided == MPI_THREAD_MULTIPLE;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

ProcessGroup::~ProcessGroup() {
  if (mpi_) MPI_Finalize();
}

void ProcessGroup::sum(double* data, int64_t count) const {
  if (!several()) return;
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(count), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, &request);
  wait_for(request, timeout_seconds_, "summing step totals");
}

void ProcessGroup::broadcast(double* data, int64_t count) const {
  if (!several()) return;
  MPI_Request request;
  MPI_Ibcast(data, static_cast<int>(count), MPI_DOUBLE, 0, MPI_COMM_WORLD, &request);
  wait_for(request, timeout_seconds_, "waiting for process 0's validation");
}

std::vector<uint64_t> ProcessGroup::gather(uint64_t value) const {
  std::vector<uint64_t> values(static_cast<size_t>(size_), value);
  if (!several()) return values;
  MPI_Request request;
  MPI_Iallgather(&value, 1, MPI_UINT64_T, values.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD, &request);
  wait_for(request, timeout_seconds_, "comparing parameters");
  return values;
}

void ProcessGroup::barrier() const {
  if (!several()) return;
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  wait_for(request, timeout_seconds_, "waiting for the other processes");
}

void ProcessGroup::abort(int status) const {
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

}  // namespace ferry
