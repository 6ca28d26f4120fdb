// A language model's stream batches (training.bptt): every (input, target) pair of the text exactly once, in
// order along each row from batch to batch, rows of equal length within one, and only the last batch ragged.
#include "data/stream_batches.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"
#include "util/rng.h"

namespace ferry {
namespace {

// Sentences of 1-12 distinct ids (ids from 10 on, so that none is a special id).
std::vector<TokenIds> numbered_text(size_t sentences, uint64_t seed) {
  Rng rng(seed);
  std::vector<TokenIds> text;
  int next = 10;
  for (size_t i = 0; i < sentences; ++i) {
    TokenIds s;
    for (uint64_t n = 1 + rng.below(12); n > 0; --n) s.push_back(next++);
    text.push_back(s);
  }
  return text;
}

// The text's pairs as the stream holds them: <s> w1 .. wn -> w1 .. wn </s>, sentence after sentence.
void expected_pairs(const std::vector<TokenIds>& text, std::vector<int>& inputs, std::vector<int>& targets) {
  for (const TokenIds& s : text) {
    inputs.push_back(kBosId);
    inputs.insert(inputs.end(), s.begin(), s.end());
    targets.insert(targets.end(), s.begin(), s.end());
    targets.push_back(kEosId);
  }
}

TEST(StreamBatches, EveryPairOnceInOrderAlongEachRow) {
  const std::vector<TokenIds> text = numbered_text(200, 3);
  std::vector<int> inputs, targets;
  expected_pairs(text, inputs, targets);
  const int64_t rows = 7, bptt = 9;
  const StreamBatches stream(text, rows, bptt);
  ASSERT_EQ(stream.rows(), rows);

  // Row by row, the batches' real steps joined: each row is a contiguous part of the stream, the rows one
  // after the other cover it exactly.
  std::vector<std::vector<int>> row_inputs(rows), row_targets(rows);
  for (int64_t k = 0; k < stream.size(); ++k) {
    const Batch b = stream.batch(k);
    ASSERT_EQ(b.size, rows);
    const bool last = k + 1 == stream.size();
    if (!last) {
      EXPECT_EQ(b.tgt_steps, bptt) << "batch " << k;
    }
    for (int64_t r = 0; r < rows; ++r) {
      const int length = b.tgt_lengths[r];
      if (!last) {
        EXPECT_EQ(length, bptt) << "batch " << k << " row " << r;
      }
      for (int64_t t = 0; t < b.tgt_steps; ++t) {
        const int in = b.tgt_in[t * rows + r], out = b.tgt_out[t * rows + r];
        if (t < length) {
          row_inputs[r].push_back(in);
          row_targets[r].push_back(out);
        } else {
          EXPECT_EQ(in, kPadId);
          EXPECT_EQ(out, kPadId);
        }
      }
    }
  }
  std::vector<int> joined_inputs, joined_targets;
  size_t shortest = inputs.size(), longest = 0;
  for (int64_t r = 0; r < rows; ++r) {
    joined_inputs.insert(joined_inputs.end(), row_inputs[r].begin(), row_inputs[r].end());
    joined_targets.insert(joined_targets.end(), row_targets[r].begin(), row_targets[r].end());
    shortest = std::min(shortest, row_inputs[r].size());
    longest = std::max(longest, row_inputs[r].size());
  }
  EXPECT_EQ(joined_inputs, inputs);
  EXPECT_EQ(joined_targets, targets);
  EXPECT_LE(longest - shortest, 1u);
  EXPECT_EQ(stream.size(), static_cast<int64_t>((longest + bptt - 1) / bptt));
}

TEST(StreamBatches, AShortTextUsesFewerRows) {
  const std::vector<TokenIds> text = {{11, 12}};  // three pairs
  const StreamBatches stream(text, 8, 5);
  EXPECT_EQ(stream.rows(), 3);
  ASSERT_EQ(stream.size(), 1);
  const Batch b = stream.batch(0);
  EXPECT_EQ(b.tgt_steps, 1);
  EXPECT_EQ(b.tgt_in, (std::vector<int>{kBosId, 11, 12}));
  EXPECT_EQ(b.tgt_out, (std::vector<int>{11, 12, kEosId}));
  EXPECT_THROW(stream.batch(1), InternalError);
}

}  // namespace
}  // namespace ferry
