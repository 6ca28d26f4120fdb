// Token embeddings: a table {vocab, dim} whose rows are looked up by id, with a backward pass that adds each
// position's gradient into its id's row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

class Embedding {
 public:
  static constexpr int32_t kNoPad = -1;

  // Registers "<scope>/weight" {vocab, dim}, drawn from `init`: by default N(0, 1), as PyTorch's embeddings,
  // so that the first RNN layer's input is as strong as its recurrent signal from the start (tables of small
  // values leave training on a plateau for the first epochs). pad_id: an id in [0, vocab) that embeds to a
  // zero vector and whose row never gets a gradient (the table's row for it is never read), or kNoPad.
  Embedding(ParamRegistry& params, const std::string& scope, int64_t vocab, int64_t dim,
            int32_t pad_id = kNoPad, Init init = Init::normal(1.0f));
  // Looks up rows of a table another layer registered (tied embeddings): the gradients of both add up in it.
  Embedding(Parameter& table, int32_t pad_id = kNoPad);

  // ids: {rows}, each in [0, vocab); out: resized to {rows, dim}.
  void forward(const std::vector<int32_t>& ids, Tensor& out) const;
  // ids: {rows} as in forward; grad_out: dL/dout {rows, dim}. Adds row r of grad_out to the table gradient's
  // row ids[r] (pad positions skipped). Sums run over positions in order: deterministic for any thread count.
  void backward(const std::vector<int32_t>& ids, const Tensor& grad_out);

  int64_t vocab() const { return vocab_; }
  int64_t dim() const { return dim_; }
  int32_t pad_id() const { return pad_id_; }
  Parameter& table() { return *table_; }

 private:
  void check_ids(const std::vector<int32_t>& ids) const;

  int64_t vocab_;
  int64_t dim_;
  int32_t pad_id_;
  Parameter* table_;
};

}  // namespace ferry
