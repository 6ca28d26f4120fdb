// Inverted dropout, in place: in training each element is zeroed with probability `rate` and the others are
// scaled by 1 / (1 - rate), so inference needs no rescaling. Whether element i of the k-th training call is
// kept is a hash of (seed, k, i): the masks are the same run after run, whatever the thread count.
// Variational (per-sequence) masks: for a time-major tensor {T, N, C}, element (t, n, c) is kept or dropped
// for every t alike, one mask per sequence n (Gal and Ghahramani's dropout for recurrent networks, here on
// the inputs of the recurrent layers).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace ferry {

enum class DropoutMask { kPerElement, kPerSequence };

class Dropout {
 public:
  // rate in [0, 1). Give every place that applies dropout its own seed (e.g. derived from the run's seed and
  // the place's name) so that their masks are independent. kPerSequence shares the mask along axis 0.
  Dropout(float rate, uint64_t seed, DropoutMask mask = DropoutMask::kPerElement);

  // x: any dims, changed in place. With training and rate > 0, applies a fresh mask and keeps it for
  // backward; otherwise does nothing.
  void forward(Tensor& x, bool training);
  // grad: dL/d(output) with the dims of the last forward's x, turned into dL/dx in place (same mask and
  // scale); nothing when the last forward did nothing.
  void backward(Tensor& grad) const;

  float rate() const { return rate_; }
  // Training calls made so far: part of the training state for an exact resume.
  uint64_t calls() const { return calls_; }
  void set_calls(uint64_t calls) { calls_ = calls; }

 private:
  float rate_;
  uint64_t seed_;
  DropoutMask mask_;
  uint64_t calls_ = 0;
  bool mask_active_ = false;  // the last forward applied `keep_`
  Dims mask_dims_;
  std::vector<uint8_t> keep_;  // 1 where the element was kept
};

}  // namespace ferry
