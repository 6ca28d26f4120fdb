#include "train/gradient_exchange.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <string>

#include "core/ops/arith.h"
#include "util/error.h"
#include "util/log.h"

namespace ferry {
namespace {

// How often the communication thread moves the started sums along (MPI progresses only inside its calls).
constexpr auto kTestInterval = std::chrono::microseconds(100);

std::vector<int64_t> gradient_sizes(const std::vector<Parameter*>& params) {
  std::vector<int64_t> sizes;
  for (const Parameter* param : params) sizes.push_back(param->grad.numel());
  return sizes;
}

}  // namespace

GradientExchange::GradientExchange(const ProcessGroup& group, const std::vector<Parameter*>& params,
                                   int64_t bucket_bytes)
    : group_(group),
      params_(params),
      buckets_(plan_gradient_buckets(gradient_sizes(params),
                                     std::max<int64_t>(1, bucket_bytes / static_cast<int64_t>(sizeof(float))))),
      threaded_(group.threads_allowed()) {
  FERRY_CHECK(group.several(), InternalError, "a gradient exchange in a group of one process");
  int64_t staged = 0;
  for (const GradientBucket& bucket : buckets_) {
    FERRY_CHECK(bucket.elements <= INT_MAX, InternalError,
                "a gradient bucket of " << bucket.elements << " values, past MPI's count limit");
    int64_t holders = 0;
    for (size_t i = bucket.first; i < bucket.end; ++i) holders += params_[i]->grad.numel() > 0 ? 1 : 0;
    staging_offset_.push_back(holders > 1 ? staged : -1);
    if (holders > 1) staged += bucket.elements;
  }
  staging_.resize(static_cast<size_t>(staged));
  MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
  done_from_ = 0;
  started_ = finished_ = handed_ = buckets_.size();  // no step under way
  if (threaded_) thread_ = std::thread([this] { run(); });
}

GradientExchange::~GradientExchange() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  MPI_Comm_free(&comm_);
}

void GradientExchange::begin(float scale) {
  std::lock_guard<std::mutex> lock(mutex_);
  FERRY_CHECK(finished_ == buckets_.size(), InternalError, "a gradient exchange begun before the last finished");
  scale_ = scale;
  done_from_ = params_.size();
  handed_ = finished_ = 0;
  started_ = 0;
}

void GradientExchange::done(size_t first, size_t count) {
  FERRY_CHECK(first + count == done_from_, InternalError,
              "gradients of parameters [" << first << ", " << first + count << ") done while [" << done_from_
                                          << ", " << params_.size() << ") were");
  if (scale_ != 1.0f) {
    for (size_t i = first; i < done_from_; ++i) {
      if (params_[i]->grad.numel() > 0) scale_in_place(params_[i]->grad, scale_);
    }
  }
  done_from_ = first;
  size_t complete = 0;
  while (complete < buckets_.size() && buckets_[complete].first >= done_from_) ++complete;
  if (!threaded_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (complete <= handed_) return;
    handed_ = complete;
  }
  changed_.notify_all();
}

void GradientExchange::finish() {
  if (done_from_ > 0) done(0, done_from_);
  if (threaded_) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return finished_ == buckets_.size(); });
    return;
  }
  for (size_t b = 0; b < buckets_.size(); ++b) start(b);
  for (size_t summed = 0; summed < buckets_.size();) {
    summed += test_started();
    if (summed < buckets_.size()) {
      check_deadline();
      std::this_thread::sleep_for(kTestInterval);
    }
  }
  finished_ = buckets_.size();
}

void GradientExchange::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (in_flight_.empty()) {
      changed_.wait(lock, [&] { return stop_ || started_ < handed_; });
      if (stop_ && started_ == handed_) return;
    }
    const size_t handed = handed_;
    lock.unlock();
    while (started_ < handed) start(started_++);
    const size_t summed = test_started();
    if (!in_flight_.empty()) check_deadline();
    lock.lock();
    if (summed > 0) {
      finished_ += summed;
      changed_.notify_all();
    }
    if (!in_flight_.empty()) changed_.wait_for(lock, kTestInterval, [&] { return started_ < handed_; });
  }
}

void GradientExchange::start(size_t b) {
  const GradientBucket& bucket = buckets_[b];
  Started started{b, MPI_REQUEST_NULL, MPI_Wtime()};
  float* data = nullptr;
  if (staging_offset_[b] >= 0) {
    data = staging_.data() + staging_offset_[b];
    float* to = data;
    for (size_t i = bucket.first; i < bucket.end; ++i) {
      const Tensor& grad = params_[i]->grad;
      std::memcpy(to, grad.data(), static_cast<size_t>(grad.numel()) * sizeof(float));
      to += grad.numel();
    }
  } else {
    for (size_t i = bucket.first; i < bucket.end; ++i) {
      if (params_[i]->grad.numel() > 0) data = params_[i]->grad.data();
    }
  }
  if (data) {
    MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(bucket.elements), MPI_FLOAT, MPI_SUM, comm_,
                   &started.request);
  }
  in_flight_.push_back(started);
}

size_t GradientExchange::test_started() {
  size_t summed = 0;
  for (size_t k = 0; k < in_flight_.size();) {
    int complete = 1;
    if (in_flight_[k].request != MPI_REQUEST_NULL) MPI_Test(&in_flight_[k].request, &complete, MPI_STATUS_IGNORE);
    if (!complete) {
      ++k;
      continue;
    }
    const size_t b = in_flight_[k].bucket;
    if (staging_offset_[b] >= 0) {
      const float* from = staging_.data() + staging_offset_[b];
      for (size_t i = buckets_[b].first; i < buckets_[b].end; ++i) {
        Tensor& grad = params_[i]->grad;
        std::memcpy(grad.data(), from, static_cast<size_t>(grad.numel()) * sizeof(float));
        from += grad.numel();
      }
    }
    in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(k));
    ++summed;
  }
  return summed;
}

void GradientExchange::check_deadline() const {
  const double timeout = group_.timeout_seconds();
  for (const Started& started : in_flight_) {
    if (MPI_Wtime() - started.started_at <= timeout) continue;
    log_line(LogLevel::kError, "no answer from the other processes within " +
                                   std::to_string(static_cast<int64_t>(timeout)) +
                                   " s (summing gradients, training.collective_timeout): a process died or "
                                   "hangs; ending the job");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

}  // namespace ferry
