#include "core/ops/dropout.h"

#include <algorithm>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// The splitmix64 finaliser: a bijective mix whose outputs pass as independent uniform bits.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

Dropout::Dropout(float rate, uint64_t seed, DropoutMask mask) : rate_(rate), seed_(seed), mask_(mask) {
  FERRY_CHECK(rate >= 0.0f && rate < 1.0f, InternalError, "dropout rate " << rate << " outside [0, 1)");
}

void Dropout::forward(Tensor& x, bool training) {
  mask_active_ = training && rate_ > 0.0f;
  if (!mask_active_) return;
  const uint64_t call_key = mix(mix(seed_ + kGolden) ^ (calls_ * kGolden));
  ++calls_;
  // Element i is dropped when the top 24 bits of its hash fall below rate · 2^24.
  const uint64_t threshold = static_cast<uint64_t>(static_cast<double>(rate_) * (1 << 24));
  const float scale = 1.0f / (1.0f - rate_);
  const int64_t n = x.numel();
  // Elements one step apart along axis 0 share their draw in per-sequence masks.
  const int64_t period =
      mask_ == DropoutMask::kPerSequence && x.rank() > 1 && x.dim(0) > 0 ? n / x.dim(0) : n;
  mask_dims_ = x.dims();
  keep_.resize(static_cast<size_t>(n));
  float* v = x.data();
  uint8_t* keep = keep_.data();
  // Fixed chunks, each walked as runs of whole or partial periods: no element pays for a division to find
  // its draw, and the run's loop has no branch, so it vectorises.
  const int64_t chunks = n >= kParallelMinElements ? 64 : 1;
#pragma omp parallel for schedule(static) if (chunks > 1)
  for (int64_t chunk = 0; chunk < chunks; ++chunk) {
    const int64_t end = n * (chunk + 1) / chunks;
    for (int64_t i = n * chunk / chunks; i < end;) {
      const int64_t first = i % period, length = std::min(end - i, period - first);
      for (int64_t j = 0; j < length; ++j) {
        const uint64_t draw = static_cast<uint64_t>(first + j);
        const bool kept = (mix(call_key + draw * kGolden) >> 40) >= threshold;
        keep[i + j] = kept;
        v[i + j] = kept ? v[i + j] * scale : 0.0f;
      }
      i += length;
    }
  }
}

void Dropout::backward(Tensor& grad) const {
  if (!mask_active_) return;
  check_dims(grad, mask_dims_, "dropout gradient");
  const float scale = 1.0f / (1.0f - rate_);
  const int64_t n = grad.numel();
  float* g = grad.data();
  const uint8_t* keep = keep_.data();
#pragma omp parallel for schedule(static) if (n >= kParallelMinElements)
  for (int64_t i = 0; i < n; ++i) g[i] = keep[i] ? g[i] * scale : 0.0f;
}

}  // namespace ferry
