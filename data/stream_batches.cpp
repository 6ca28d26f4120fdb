#include "data/stream_batches.h"

#include <algorithm>

#include "util/error.h"

namespace ferry {

StreamBatches::StreamBatches(const TokenSequences& text, int64_t rows, int64_t bptt) : bptt_(bptt) {
  FERRY_CHECK(rows >= 1 && bptt >= 1, InternalError,
              "a stream of " << rows << " rows x " << bptt << " steps");
  for (size_t i = 0; i < text.size(); ++i) {
    const IdSpan sentence = text.checked(i);
    inputs_.push_back(kBosId);
    inputs_.insert(inputs_.end(), sentence.begin(), sentence.end());
    targets_.insert(targets_.end(), sentence.begin(), sentence.end());
    targets_.push_back(kEosId);
  }
  const auto pairs = static_cast<int64_t>(inputs_.size());
  rows = std::max<int64_t>(1, std::min(rows, pairs));
  const int64_t base = pairs / rows, longer = pairs % rows;  // the first `longer` rows get one pair more
  for (int64_t r = 0, begin = 0; r < rows; ++r) {
    row_begin_.push_back(begin);
    begin += base + (r < longer ? 1 : 0);
  }
  row_begin_.push_back(pairs);
  const int64_t longest = base + (longer > 0 ? 1 : 0);
  batches_ = (longest + bptt - 1) / bptt;
}

Batch StreamBatches::batch(int64_t k) const {
  FERRY_CHECK(k >= 0 && k < batches_, InternalError, "stream batch " << k << " of " << batches_);
  const int64_t n = rows();
  Batch b;
  b.size = n;
  b.tgt_lengths.resize(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    const int64_t length = row_begin_[r + 1] - row_begin_[r];
    b.tgt_lengths[r] = static_cast<int>(std::clamp<int64_t>(length - k * bptt_, 0, bptt_));
  }
  b.tgt_steps = *std::max_element(b.tgt_lengths.begin(), b.tgt_lengths.end());
  b.tgt_in.assign(static_cast<size_t>(b.tgt_steps * n), kPadId);
  b.tgt_out.assign(static_cast<size_t>(b.tgt_steps * n), kPadId);
  for (int64_t r = 0; r < n; ++r) {
    const int64_t from = row_begin_[r] + k * bptt_;
    for (int64_t t = 0; t < b.tgt_lengths[r]; ++t) {
      b.tgt_in[t * n + r] = inputs_[from + t];
      b.tgt_out[t * n + r] = targets_[from + t];
    }
  }
  return b;
}

}  // namespace ferry
