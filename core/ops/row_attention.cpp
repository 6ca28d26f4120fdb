#include "core/ops/row_attention.h"

#include <algorithm>

#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

void check_memory(const Tensor& memory, int64_t sentences, const std::vector<int64_t>& lengths,
                  const char* what) {
  FERRY_CHECK(
      memory.rank() == 3 && memory.dim(1) == sentences && static_cast<int64_t>(lengths.size()) == sentences,
      InternalError,
      what << ": " << dims_text(memory.dims()) << " for " << sentences << " sentences and " << lengths.size()
           << " lengths");
  for (int64_t length : lengths)
    FERRY_CHECK(length >= 0 && length <= memory.dim(0), InternalError,
                what << ": length " << length << " outside [0, " << memory.dim(0) << "]");
}

}  // namespace

void row_dot_scores(const Tensor& queries, const Tensor& keys, const std::vector<int64_t>& lengths,
                    int64_t group, Tensor& scores) {
  const int64_t R = queries.dim(0), C = queries.dim(1), S = keys.dim(0), B = keys.dim(1);
  FERRY_CHECK(queries.rank() == 2 && group > 0 && R == B * group && keys.dim(2) == C, InternalError,
              "row scores: queries " << dims_text(queries.dims()) << ", keys " << dims_text(keys.dims())
                                     << ", group " << group);
  check_memory(keys, B, lengths, "row scores keys");
  scores.resize({B, group, S});
  const float* q = queries.data();
  const float* k = keys.data();
  float* out = scores.data();
#pragma omp parallel for schedule(static) if (R * S * C >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const int64_t b = r / group;
    const float* query = q + r * C;
    for (int64_t s = 0; s < lengths[b]; ++s) {
      const float* key = k + (s * B + b) * C;
      float sum = 0;
#pragma omp simd reduction(+ : sum)
      for (int64_t c = 0; c < C; ++c) sum += query[c] * key[c];
      out[r * S + s] = sum;
    }
  }
}

void row_weighted_sums(const Tensor& weights, const Tensor& values, const std::vector<int64_t>& lengths,
                       Tensor& context) {
  const int64_t B = weights.dim(0), group = weights.dim(1), S = weights.dim(2), D = values.dim(2);
  FERRY_CHECK(weights.rank() == 3 && values.dim(0) == S, InternalError,
              "row sums: weights " << dims_text(weights.dims()) << ", values " << dims_text(values.dims()));
  check_memory(values, B, lengths, "row sums values");
  const int64_t R = B * group;
  context.resize({R, D});
  const float* w = weights.data();
  const float* v = values.data();
  float* out = context.data();
#pragma omp parallel for schedule(static) if (R * S * D >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const int64_t b = r / group;
    weighted_sum_row(w + r * S, v + b * D, lengths[b], B * D, D, out + r * D);
  }
}

void weighted_sum_row(const float* weights, const float* values, int64_t length, int64_t stride, int64_t width,
                      float* out) {
  std::fill_n(out, width, 0.0f);
  for (int64_t s = 0; s < length; ++s) {
    const float weight = weights[s];
    const float* value = values + s * stride;
#pragma omp simd
    for (int64_t d = 0; d < width; ++d) out[d] += weight * value[d];
  }
}

}  // namespace ferry
