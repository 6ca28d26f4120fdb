#include "core/layers/input_gate_table.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <mutex>
#include <tuple>

#include "core/ops/matmul.h"
#include "core/ops/sequence.h"
#include "core/shared_copies.h"
#include "util/error.h"

namespace ferry {

struct InputGateTable::Held {
  explicit Held(int64_t vocab) : slot(static_cast<size_t>(vocab), kAbsent) {}
  std::mutex mutex;           // over every member, and held while a table computes new rows
  std::vector<int32_t> slot;  // per token: where its row is, or kAbsent
  std::vector<Tensor> blocks;  // {kGroupRows, width} each; slot s is row s % kGroupRows of block s / kGroupRows
  int64_t used = 0;
};

namespace {

// Whose rows: the embedding's and the weights' storage and versions, and the bound on the rows held.
using HeldKey = std::tuple<const void*, uint64_t, const void*, uint64_t, int64_t>;

}  // namespace

InputGateTable::InputGateTable(const Parameter& embedding, const Parameter& weights_layer, int64_t max_rows)
    : embedding_(embedding),
      weights_(weights_layer),
      vocab_(embedding.value.dim(0)),
      dim_(embedding.value.dim(1)),
      width_(weights_layer.value.numel() / weights_layer.value.dim(0)),
      max_rows_(max_rows > 0 ? max_rows
                             : std::max(kGroupRows, kDefaultBytes / (width_ * static_cast<int64_t>(sizeof(float))))),
      embedding_version_(std::numeric_limits<uint64_t>::max()),
      weights_version_(std::numeric_limits<uint64_t>::max()),
      passing_({0, width_}),
      embedded_({kGroupRows, dim_}),
      products_({kGroupRows, width_}) {
  FERRY_CHECK(embedding.value.rank() == 2 && weights_layer.value.dim(0) == dim_, InternalError,
              "input gate table: embedding " << dims_text(embedding.value.dims()) << " for input weights "
                                             << dims_text(weights_layer.value.dims()));
}

InputGateTable::Held& InputGateTable::held() {
  if (held_ && embedding_version_ == embedding_.version && weights_version_ == weights_.version) return *held_;
  static SharedCopies<HeldKey, Held> shared;
  const HeldKey key{embedding_.value.raw(), embedding_.version, weights_.value.raw(), weights_.version, max_rows_};
  held_ = shared.get(key, [&] { return std::make_shared<Held>(vocab_); });
  embedding_version_ = embedding_.version;
  weights_version_ = weights_.version;
  return *held_;
}

int64_t InputGateTable::size() const {
  if (!held_) return 0;
  std::lock_guard<std::mutex> lock(held_->mutex);
  return held_->used;
}

float* InputGateTable::row_at(Held& held, int32_t slot) {
  if (slot <= kPassing) return passing_.data() + static_cast<int64_t>(kPassing - slot) * width_;
  return held.blocks[static_cast<size_t>(slot / kGroupRows)].data() + (slot % kGroupRows) * width_;
}

const std::vector<const float*>& InputGateTable::rows(const std::vector<int32_t>& tokens) {
  for (const int32_t token : tokens)
    FERRY_CHECK(token >= 0 && token < vocab_, InternalError,
                "input gate table: token " << token << " outside the vocabulary of " << vocab_);
  Held& held = this->held();
  std::lock_guard<std::mutex> lock(held.mutex);
  new_tokens_.clear();
  int32_t passing = 0;
  for (const int32_t token : tokens) {
    int32_t& slot = held.slot[static_cast<size_t>(token)];
    if (slot != kAbsent) continue;  // held, or already met in this call
    slot = held.used < max_rows_ ? static_cast<int32_t>(held.used++) : kPassing - passing++;
    new_tokens_.push_back(token);
  }
  while (static_cast<int64_t>(held.blocks.size()) * kGroupRows < held.used)
    held.blocks.emplace_back(Dims{kGroupRows, width_});
  if (passing > 0) passing_.resize({passing, width_});
  for (size_t begin = 0; begin < new_tokens_.size(); begin += kGroupRows)
    compute(held, begin, std::min(new_tokens_.size(), begin + kGroupRows));
  rows_.resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) rows_[i] = row_at(held, held.slot[static_cast<size_t>(tokens[i])]);
  for (const int32_t token : new_tokens_) {
    int32_t& slot = held.slot[static_cast<size_t>(token)];
    if (slot <= kPassing) slot = kAbsent;
  }
  return rows_;
}

void InputGateTable::compute(Held& held, size_t begin, size_t end) {
  const std::vector<int> group(new_tokens_.begin() + static_cast<std::ptrdiff_t>(begin),
                               new_tokens_.begin() + static_cast<std::ptrdiff_t>(end));
  Tensor embedded = embedded_.slice(0, static_cast<int64_t>(group.size()));
  gather_rows(embedding_.value, group, embedded);
  // The product runs over the next power of two of rows (a few shapes, each primitive made once); rows past
  // `end - begin` hold earlier tokens' embeddings, and their products are not used.
  int64_t product_rows = 1;
  while (product_rows < static_cast<int64_t>(end - begin)) product_rows *= 2;
  const MatrixView w{const_cast<float*>(weights_.value.data()), DType::kF32, 1, dim_, width_, dim_ * width_,
                     width_, 1};
  matmul(matrix(embedded_.slice(0, product_rows)), w, matrix(products_.slice(0, product_rows)));
  for (size_t i = begin; i < end; ++i)
    std::memcpy(row_at(held, held.slot[static_cast<size_t>(new_tokens_[i])]), products_.data() + (i - begin) * width_,
                static_cast<size_t>(width_) * sizeof(float));
}

}  // namespace ferry
