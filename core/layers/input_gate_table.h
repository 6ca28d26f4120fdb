// The input part of an RNN layer's gates for inputs that are rows of an embedding table: token v's row is
// embedding[v]·W_x (W_x the layer's weights_layer {E, G, H} read as {E, G·H}), computed in f32 the first time
// v is asked for and kept until either parameter changes. A layer fed token embeddings (a decoder's first
// layer without input feeding) then runs no input product at its search steps: a token never seen before
// costs one row of a product, once. Rows are held for the tokens seen, not for the whole vocabulary, and at
// most max_rows of them: tokens that come once the table is full get their rows computed for the call alone
// (the first to come, the frequent ones, keep theirs), so that a long-running server of a large model does
// not grow a table of the whole vocabulary. The rows are held once per process for the parameters' storage
// and versions: tables of networks that share their weights (translation workers) share them too.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class InputGateTable {
 public:
  // embedding {V, E}, weights_layer {E, G, H}; both must outlive this object. max_rows: the tokens held at
  // most (0: as many as kDefaultBytes of rows hold).
  InputGateTable(const Parameter& embedding, const Parameter& weights_layer, int64_t max_rows = 0);
  InputGateTable(const InputGateTable&) = delete;
  InputGateTable& operator=(const InputGateTable&) = delete;

  int64_t width() const { return width_; }  // G·H

  // One pointer per token (each in [0, V)) to its row of width() values, valid until the next call. Tables
  // sharing rows may be called from different threads at once.
  const std::vector<const float*>& rows(const std::vector<int32_t>& tokens);

  // Tokens whose rows the table holds.
  int64_t size() const;

  // New tokens are multiplied in groups of at most this many rows, each group's product over the next power
  // of two of rows: a few product shapes, whatever the number of new tokens.
  static constexpr int64_t kGroupRows = 32;
  // The default bound of the rows held: 64 MiB (the whole vocabulary of de-en.yaml's model takes 60).
  static constexpr int64_t kDefaultBytes = int64_t{64} << 20;

 private:
  // slot values besides a row of the table: not held, or computed for the current call alone (the k-th
  // such token: kPassing - k, a row of passing_).
  static constexpr int32_t kAbsent = -1, kPassing = -2;
  // The rows held for one version of both parameters, shared by the tables over the same storage.
  struct Held;

  // The rows held for the parameters' current versions: no rows after a parameter changed.
  Held& held();
  float* row_at(Held& held, int32_t slot);
  // The rows of new_tokens_[begin, end) into their slots.
  void compute(Held& held, size_t begin, size_t end);

  const Parameter& embedding_;
  const Parameter& weights_;
  int64_t vocab_, dim_, width_, max_rows_;
  uint64_t embedding_version_, weights_version_;
  std::shared_ptr<Held> held_;
  Tensor passing_;  // rows computed for the current call alone, once the table is full
  std::vector<int32_t> new_tokens_;
  Tensor embedded_, products_;  // {kGroupRows, E}, {kGroupRows, width}
  std::vector<const float*> rows_;
};

}  // namespace ferry
