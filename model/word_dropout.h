// Word dropout: in training each word of an input sequence is replaced by <unk> with probability `rate`, so
// that the network learns not to lean on any single input word (a regulariser for small corpora). The draws
// of the k-th training call come from Rng(seed, k) in position order: the same masks run after run and on
// resume, whatever the thread count.
#pragma once

#include <cstdint>
#include <vector>

namespace ferry {

class WordDropout {
 public:
  // rate in [0, 1).
  WordDropout(float rate, uint64_t seed);

  // With training and rate > 0, `out` becomes `ids` with each word (an id past the special ids) replaced by
  // <unk> with probability rate, and the call counts; otherwise `out` is a copy of `ids`.
  void apply(const std::vector<int>& ids, bool training, std::vector<int>& out);

  float rate() const { return rate_; }
  void set_calls(uint64_t calls) { calls_ = calls; }

 private:
  float rate_;
  uint64_t seed_;
  uint64_t calls_ = 0;
};

}  // namespace ferry
