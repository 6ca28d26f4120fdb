// One training batch: padded id matrices in the time-major layout the encoder and decoder read, with lengths.
// Every sentence is left-aligned and padded after its end (kPadId), so a left-to-right pass never reads a pad
// before a real token.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace ferry {

struct Batch {
  int64_t size = 0;       // N sentences
  int64_t src_steps = 0;  // S: longest source, </s> included
  int64_t tgt_steps = 0;  // T: longest target, </s> included
  std::vector<int> src;       // {S, N}: x </s> pad...; element (t, n) at t * N + n
  std::vector<int> tgt_in;    // {T, N}: <s> y pad...
  std::vector<int> tgt_out;   // {T, N}: y </s> pad...
  std::vector<int> src_lengths;  // {N}, </s> included
  std::vector<int> tgt_lengths;  // {N}, </s> included
  std::vector<size_t> indices;   // {N}: the corpus pair in each column

  int64_t src_tokens() const;
  int64_t tgt_tokens() const;
  // Padded cells of both sides that hold no token, as a fraction of all cells.
  double padding_fraction() const;
};

// Builds the batch of the given corpus pairs, columns in the given order.
Batch make_batch(const EncodedCorpus& corpus, const std::vector<size_t>& indices);
// Process `rank`'s share of a data-parallel batch of `processes`: positions [rank * N / P, (rank + 1) * N / P)
// of its pair indices (a share may be empty). Each process makes the batch of its share alone.
std::vector<size_t> share_of(const std::vector<size_t>& indices, int64_t rank, int64_t processes);
// make_batch(corpus, indices).tgt_tokens(), from the pairs' lengths alone.
int64_t target_tokens(const EncodedCorpus& corpus, const std::vector<size_t>& indices);

}  // namespace ferry
