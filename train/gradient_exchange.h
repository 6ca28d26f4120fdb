// The sum over an mpirun job's processes of every parameter's gradient, started bucket by bucket while the
// backward pass is still running: as soon as backward has finished a bucket's parameters (see
// Seq2Seq::backward), a communication thread starts its MPI all-reduce and moves it along while the layers
// before go on computing. The buckets and their order are the same in every process (plan_gradient_buckets
// over the same registry), and the sums run on a communicator of their own, so they never mix with the
// trainer's other collectives.
//
// Without MPI_THREAD_MULTIPLE from the MPI library, the buckets are summed one after the other in finish().
#pragma once

#include <mpi.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "core/param.h"
#include "train/gradient_buckets.h"
#include "train/process_group.h"

namespace ferry {

class GradientExchange {
 public:
  // `params`: the model's parameters in registration order, summed in buckets of about `bucket_bytes` of
  // gradient; `group` must have several processes.
  GradientExchange(const ProcessGroup& group, const std::vector<Parameter*>& params, int64_t bucket_bytes);
  ~GradientExchange();
  GradientExchange(const GradientExchange&) = delete;
  GradientExchange& operator=(const GradientExchange&) = delete;

  // Starts a step in which each process's gradients are multiplied by `scale` before they are summed.
  void begin(float scale);
  // Parameters [first, first + count) have their final gradients; ranges come in decreasing order, without
  // gaps, from the last parameter down. Scales them and starts the sums of the buckets now complete.
  void done(size_t first, size_t count);
  // Takes every parameter not yet reported as done (a process whose share had nothing to walk back), and
  // waits until every bucket is summed: then every grad holds the sum over the processes.
  void finish();

  size_t bucket_count() const { return buckets_.size(); }
  // Whether the sums start during backward (a communication thread) or only in finish().
  bool overlapped() const { return threaded_; }

 private:
  // The communication thread: starts the buckets handed over and tests them until they are summed.
  void run();
  // Starts bucket b's all-reduce (copying its gradients into the staging buffer when it has several).
  void start(size_t b);
  // Tests the started buckets; copies finished sums back into the grads. Returns how many finished.
  size_t test_started();
  // Ends the job when a started bucket has waited longer than the group's timeout.
  void check_deadline() const;

  const ProcessGroup& group_;
  std::vector<Parameter*> params_;
  std::vector<GradientBucket> buckets_;
  std::vector<int64_t> staging_offset_;  // per bucket: where its values go in staging_, or -1 (in place)
  std::vector<float> staging_;
  MPI_Comm comm_ = MPI_COMM_NULL;  // the sums' own communicator
  const bool threaded_;

  float scale_ = 1.0f;
  size_t done_from_ = 0;  // parameters [done_from_, end) are done

  // Shared with the communication thread, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t handed_ = 0;    // buckets handed to the communication thread this step
  size_t finished_ = 0;  // buckets summed this step
  bool stop_ = false;

  // The communication thread's own (begin() resets started_ while that thread waits for work).
  size_t started_ = 0;
  struct Started {
    size_t bucket;
    MPI_Request request;
    double started_at;  // MPI_Wtime
  };
  std::vector<Started> in_flight_;

  std::thread thread_;
};

}  // namespace ferry
