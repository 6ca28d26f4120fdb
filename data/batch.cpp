#include "data/batch.h"

#include <algorithm>

#include "data/subword.h"

namespace ferry {

int64_t Batch::src_tokens() const {
  int64_t n = 0;
  for (int l : src_lengths) n += l;
  return n;
}

int64_t Batch::tgt_tokens() const {
  int64_t n = 0;
  for (int l : tgt_lengths) n += l;
  return n;
}

double Batch::padding_fraction() const {
  const int64_t cells = size * (src_steps + tgt_steps);
  return cells == 0 ? 0.0 : 1.0 - static_cast<double>(src_tokens() + tgt_tokens()) / static_cast<double>(cells);
}

Batch make_batch(const EncodedCorpus& corpus, const std::vector<size_t>& indices) {
  Batch b;
  b.size = static_cast<int64_t>(indices.size());
  b.indices = indices;
  for (size_t i : indices) {
    b.src_lengths.push_back(static_cast<int>(corpus.src.length(i)) + 1);
    b.tgt_lengths.push_back(static_cast<int>(corpus.tgt.length(i)) + 1);
  }
  b.src_steps = b.size ? *std::max_element(b.src_lengths.begin(), b.src_lengths.end()) : 0;
  b.tgt_steps = b.size ? *std::max_element(b.tgt_lengths.begin(), b.tgt_lengths.end()) : 0;
  const int64_t n = b.size;
  b.src.assign(b.src_steps * n, kPadId);
  b.tgt_in.assign(b.tgt_steps * n, kPadId);
  b.tgt_out.assign(b.tgt_steps * n, kPadId);
  for (int64_t col = 0; col < n; ++col) {
    const IdSpan x = corpus.src.checked(indices[col]);
    const IdSpan y = corpus.tgt.checked(indices[col]);
    for (size_t t = 0; t < x.size(); ++t) b.src[t * n + col] = x[t];
    b.src[x.size() * n + col] = kEosId;
    b.tgt_in[col] = kBosId;
    for (size_t t = 0; t < y.size(); ++t) {
      b.tgt_in[(t + 1) * n + col] = y[t];
      b.tgt_out[t * n + col] = y[t];
    }
    b.tgt_out[y.size() * n + col] = kEosId;
  }
  return b;
}

std::vector<size_t> share_of(const std::vector<size_t>& indices, int64_t rank, int64_t processes) {
  const auto n = static_cast<int64_t>(indices.size());
  return std::vector<size_t>(indices.begin() + rank * n / processes, indices.begin() + (rank + 1) * n / processes);
}

int64_t target_tokens(const EncodedCorpus& corpus, const std::vector<size_t>& indices) {
  int64_t n = 0;
  for (size_t i : indices) n += static_cast<int64_t>(corpus.tgt.length(i)) + 1;
  return n;
}

}  // namespace ferry
