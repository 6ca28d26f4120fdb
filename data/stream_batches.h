// A language model's training text as one stream, for truncated backpropagation through time (training.bptt):
// the (input, target) pairs of every sentence, <s> w1 .. wn -> w1 .. wn </s>, one sentence after the other in
// corpus order, cut into `rows` contiguous parts of equal length (within one) that run side by side as the
// rows of every batch. Batch k holds steps [k * bptt, (k + 1) * bptt) of every row, so a row starts batch
// k + 1 where it ended batch k and its recurrent state can be carried over. Every pair is in exactly one
// batch; only the last batch may be shorter, its shorter rows padded at the end.
#pragma once

#include <cstdint>
#include <vector>

#include "data/batch.h"
#include "data/subword.h"
#include "data/token_sequences.h"

namespace ferry {

class StreamBatches {
 public:
  // `rows` and `bptt` >= 1; fewer rows than pairs are used when the text is that short.
  StreamBatches(const TokenSequences& text, int64_t rows, int64_t bptt);

  int64_t size() const { return batches_; }
  int64_t rows() const { return static_cast<int64_t>(row_begin_.size()) - 1; }
  // Batch k (0-based): tgt_in / tgt_out {T, rows}, tgt_lengths the real steps of each row; no source.
  Batch batch(int64_t k) const;

 private:
  std::vector<int> inputs_, targets_;  // the stream's pairs
  std::vector<int64_t> row_begin_;     // where each row starts in the stream; row r ends at row_begin_[r + 1]
  int64_t bptt_ = 0;
  int64_t batches_ = 0;
};

}  // namespace ferry
