// The processes of a data-parallel training run started by mpirun (Open MPI), and the collectives the trainer
// needs. Started without mpirun, train is a group of one: MPI is never initialised and every call is local.
//
// Every collective waits at most `timeout_seconds` (training.collective_timeout): a process that died or
// hangs makes the others end the job with an error (MPI_Abort) instead of waiting forever.
#pragma once

#include <cstdint>
#include <vector>

namespace ferry {

class ProcessGroup {
 public:
  // Initialises MPI when the environment shows a launch by mpirun; finalises it when destroyed.
  ProcessGroup();
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  bool several() const { return size_ > 1; }

  void set_timeout(double seconds) { timeout_seconds_ = seconds; }
  double timeout_seconds() const { return timeout_seconds_; }
  // Whether MPI may be called from several threads at once (MPI_THREAD_MULTIPLE).
  bool threads_allowed() const { return threads_allowed_; }
  // In place, element-wise sums over every process (gradients: GradientExchange).
  void sum(double* data, int64_t count) const;
  // Process 0's values, to every process.
  void broadcast(double* data, int64_t count) const;
  // Every process's value, in rank order.
  std::vector<uint64_t> gather(uint64_t value) const;
  // Waits until every process has called it.
  void barrier() const;
  // Ends every process of the job with this exit status (a failed process must not leave the others waiting).
  [[noreturn]] void abort(int status) const;

 private:
  bool mpi_ = false;
  bool threads_allowed_ = false;
  int rank_ = 0, size_ = 1;
  double timeout_seconds_ = 900;
};

}  // namespace ferry
