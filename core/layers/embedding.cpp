#include "core/layers/embedding.h"

#include <algorithm>
#include <cstring>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
Embedding::Embedding(ParamRegistry& params, const std::string& scope, int64_t vocab, int64_t dim,
                     int32_t pad_id, Init init)
    : vocab_(vocab), dim_(dim), pad_id_(pad_id) {
  FERRY_CHECK(pad_id == kNoPad || (pad_id >= 0 && pad_id < vocab), InternalError,
              "embedding pad id " << pad_id << " outside [0, " << vocab << ")");
  table_ = &params.add(scope + "/weight", {vocab, dim}, init);
}

Embedding::Embedding(Parameter& table, int32_t pad_id)
    : vocab_(table.value.dim(0)), dim_(table.value.dim(1)), pad_id_(pad_id), table_(&table) {
  FERRY_CHECK(table.value.rank() == 2, InternalError, "embedding table " << table.name << " is not a matrix");
  FERRY_CHECK(pad_id == kNoPad || (pad_id >= 0 && pad_id < vocab_), InternalError,
              "embedding pad id " << pad_id << " outside [0, " << vocab_ << ")");
}

void Embedding::check_ids(const std::vector<int32_t>& ids) const {
  for (int32_t id : ids) {
    FERRY_CHECK(id >= 0 && id < vocab_, InternalError,
                "embedding id " << id << " outside [0, " << vocab_ << ")");
  }
}

void Embedding::forward(const std::vector<int32_t>& ids, Tensor& out) const {
  check_ids(ids);
  const int64_t rows = static_cast<int64_t>(ids.size());
  out.resize({rows, dim_});
  const float* table = table_->value.data();
  float* dst = out.data();
  const size_t row_bytes = static_cast<size_t>(dim_) * sizeof(float);
#pragma omp parallel for schedule(static) if (rows * dim_ >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    if (ids[r] == pad_id_) {
      std::memset(dst + r * dim_, 0, row_bytes);
    } else {
      std::memcpy(dst + r * dim_, table + ids[r] * dim_, row_bytes);
    }
  }
}

void Embedding::backward(const std::vector<int32_t>& ids, const Tensor& grad_out) {
  check_ids(ids);
  const int64_t rows = static_cast<int64_t>(ids.size());
  check_dims(grad_out, {rows, dim_}, "embedding output gradient");
  const float* src = grad_out.data();
  float* grad = table_->grad.data();
  // Threads own disjoint column blocks of the whole table, so repeated ids never race and every element's sum
  // follows position order.
  const int64_t blocks = (dim_ + kFloatsPerCacheLine - 1) / kFloatsPerCacheLine;
#pragma omp parallel for schedule(static) if (rows * dim_ >= kParallelMinElements)
  for (int64_t block = 0; block < blocks; ++block) {
    const int64_t begin = block * kFloatsPerCacheLine;
    const int64_t width = std::min(kFloatsPerCacheLine, dim_ - begin);
    for (int64_t r = 0; r < rows; ++r) {
      if (ids[r] == pad_id_) continue;
      float* row = grad + ids[r] * dim_ + begin;
      const float* add = src + r * dim_ + begin;
      for (int64_t c = 0; c < width; ++c) row[c] += add[c];
    }
  }
}

}  // namespace ferry
