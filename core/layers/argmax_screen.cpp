#include "core/layers/argmax_screen.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "core/context.h"
#include "core/parallel.h"
#include "core/shared_copies.h"
#include "util/error.h"

namespace ferry {
namespace {

// Why the margins hold. Int8Weight stores x_i = s·q_i + e_i with |e_i| <= a·s (s: the row's scale) and
// W_ij = s_j·r_ij + f_ij with |f_ij| <= a·s_j, a = 1/2 plus the rounding of the scaled value (below 5e-5).
// Then x·W_j = s·s_j·P_j + s·Σ_i q_i·f_ij + Σ_i e_i·W_ij with P_j = Σ_i q_i·r_ij summed exactly in 32-bit
// integers (the VNNI dot products available() asks for add into 32 bits without saturating), so
//   |x·W_j - s·s_j·P_j| <= a·(s_j·s·||q||_1 + s·||W_j||_1),   s·||q||_1 <= ||x||_1 + a·H·s.
// Besides: the f32 roundings from P_j to y_j = s·s_j·P_j + b_j (a few units of 2^-24 of |s·s_j·P_j| <=
// 127·s_j·s·||q||_1, of |b_j| and of |y_j|), and those of the f32 dot product that confirms a column (at
// most g = (H + 2)·2^-24 of Σ_i |x_i·W_ij| + |b_j|, with |x_i| <= 127·s). Every coefficient below covers
// its term with room (the slack), so a column's confirmed f32 value lies within its margin of y_j.
constexpr double kUnit = 1.0 / (1 << 24);  // 2^-24: f32's rounding unit
constexpr double kHalfStep = 0.5 + 5e-5;   // a
constexpr double kSlack = 0.005;
constexpr int64_t kScreenBlock = 64;  // columns whose largest upper bound is checked at once

// What a screen's columns are of: the weight's storage, version and whether it is read transposed.
using ColumnsKey = std::tuple<const void*, uint64_t, bool>;

SharedCopies<ColumnsKey, const ScreenColumns>& shared_columns() {
  static SharedCopies<ColumnsKey, const ScreenColumns> copies;
  return copies;
}

std::shared_ptr<const ScreenColumns> make_columns(const Parameter& weight, bool transposed) {
  auto made = std::make_shared<ScreenColumns>();
  const int64_t rows = weight.value.dim(0), cols = weight.value.numel() / rows;
  const float* w = weight.value.data();
  const int64_t vocab = transposed ? rows : cols, hidden = transposed ? cols : rows;
  made->l1.assign(static_cast<size_t>(vocab), 0.0);
  if (transposed) {
#pragma omp parallel for schedule(static)
    for (int64_t j = 0; j < vocab; ++j) {
      double sum = 0.0;
      for (int64_t i = 0; i < hidden; ++i) sum += std::fabs(w[j * hidden + i]);
      made->l1[static_cast<size_t>(j)] = sum;
    }
    return made;
  }
  made->transposed = Tensor({vocab, hidden});
  float* t = made->transposed.data();
  // Tiles of 64 columns: the plain weight is read a cache line at a time.
  constexpr int64_t kTile = 64;
#pragma omp parallel for schedule(static)
  for (int64_t begin = 0; begin < vocab; begin += kTile) {
    const int64_t end = std::min(begin + kTile, vocab);
    for (int64_t i = 0; i < hidden; ++i)
      for (int64_t j = begin; j < end; ++j) t[j * hidden + i] = w[i * vocab + j];
    for (int64_t j = begin; j < end; ++j) {
      double sum = 0.0;
      for (int64_t i = 0; i < hidden; ++i) sum += std::fabs(t[j * hidden + i]);
      made->l1[static_cast<size_t>(j)] = sum;
    }
  }
  return made;
}

float dot(const float* a, const float* b, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

bool ArgmaxScreen::available() { return Context::has_int8_dot_products(); }

ArgmaxScreen::ArgmaxScreen(const Parameter& weight, bool transposed, const Parameter& bias,
                           std::vector<int> excluded)
    : weight_(weight),
      transposed_(transposed),
      bias_(bias),
      int8_(weight, transposed),
      hidden_(int8_.in()),
      vocab_(int8_.out()) {
  FERRY_CHECK(bias.value.numel() == vocab_, InternalError,
              "argmax screen: bias " << dims_text(bias.value.dims()) << " for " << vocab_ << " columns");
  offset_.assign(static_cast<size_t>(vocab_), 0.0f);
  for (const int j : excluded) {
    FERRY_CHECK(j >= 0 && j < vocab_, InternalError,
                "argmax screen: excluded column " << j << " of " << vocab_);
    offset_[static_cast<size_t>(j)] = -std::numeric_limits<float>::infinity();
  }
  l1_term_.resize(static_cast<size_t>(vocab_));
  scale_term_.resize(static_cast<size_t>(vocab_));
  bias_term_.resize(static_cast<size_t>(vocab_));
}

const ScreenColumns& ArgmaxScreen::columns() {
  if (!columns_ || columns_version_ != weight_.version) {
    const ColumnsKey key{weight_.value.raw(), weight_.version, transposed_};
    columns_ = shared_columns().get(key, [&] { return make_columns(weight_, transposed_); });
    columns_version_ = weight_.version;
  }
  return *columns_;
}

void ArgmaxScreen::best_columns(const Tensor& x, std::vector<int>& best) {
  FERRY_CHECK(x.rank() == 2 && x.dim(1) == hidden_ && x.dtype() == DType::kF32, InternalError,
              "argmax screen: expected f32 rows of " << hidden_ << ", got " << dims_text(x.dims()));
  const int64_t rows = x.dim(0);
  best.assign(static_cast<size_t>(rows), -1);
  if (rows == 0) return;
  int8_.multiply(x, products_, row_scales_);
  const ScreenColumns& c = columns();
  // Each column's margin is l1_term·s + scale_term·(bound of s·||q||_1) + bias_term + kByValue·|y_j|.
  const double g = static_cast<double>(hidden_ + 2) * kUnit;
  const auto by_l1 = static_cast<float>(kHalfStep + 127.0 * g + kSlack);
  const auto by_scale = static_cast<float>(kHalfStep + 127.0 * 4.0 * kUnit + kSlack);
  const auto by_bias = static_cast<float>(g + 4.0 * kUnit);
  const std::vector<float>& column_scales = int8_.column_scales();
  const float* bias = bias_.value.data();
  // The columns' terms change only with the parameters.
  const bool terms_current = terms_versions_ && terms_versions_->first == weight_.version &&
                             terms_versions_->second == bias_.version;
  for (int64_t j = 0; j < vocab_ && !terms_current; ++j) {
    const auto at = static_cast<size_t>(j);
    l1_term_[at] = by_l1 * static_cast<float>(c.l1[at]);
    scale_term_[at] = by_scale * column_scales[at];
    bias_term_[at] = by_bias * std::fabs(bias[j]);
  }
  terms_versions_ = std::make_pair(weight_.version, bias_.version);
  const float* columns = transposed_ ? weight_.value.data() : c.transposed.data();
  const int64_t blocks = (vocab_ + kScreenBlock - 1) / kScreenBlock;
  block_high_.resize(static_cast<size_t>(rows * blocks));
  int64_t confirmed = 0;
#pragma omp parallel for schedule(static) reduction(+ : confirmed) if (rows * vocab_ >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x.data() + r * hidden_;
    best[static_cast<size_t>(r)] =
        best_of_row(xr, products_.data() + r * vocab_, row_scales_.data()[r], static_cast<float>(g), columns,
                    block_high_.data() + r * blocks, confirmed);
  }
  confirmed_ += confirmed;
  screened_ += rows;
}

int ArgmaxScreen::best_of_row(const float* x, const float* products, float s, float g, const float* columns,
                              float* block_high, int64_t& confirmed) const {
  const float* bias = bias_.value.data();
  const float* l1_term = l1_term_.data();
  const float* scale_term = scale_term_.data();
  const float* bias_term = bias_term_.data();
  const float* offset = offset_.data();
  constexpr auto kByValue = static_cast<float>(4.0 * kUnit);
  float x_l1 = 0.0f;
#pragma omp simd reduction(+ : x_l1)
  for (int64_t i = 0; i < hidden_; ++i) x_l1 += std::fabs(x[i]);
  // A bound of s·||q||_1, the summation's own rounding included.
  const float q_l1 = x_l1 * (1.0f + g) + static_cast<float>(kHalfStep) * static_cast<float>(hidden_) * s;
  const bool screened = std::isfinite(q_l1);
  const auto margin = [&](int64_t j, float y) {
    return l1_term[j] * s + scale_term[j] * q_l1 + bias_term[j] + kByValue * std::fabs(y);
  };
  // The largest lower bound (some column's f32 value reaches it, so no column whose upper bound stays below
  // it can be the best) and each block's largest upper bound, in one pass.
  float threshold = -std::numeric_limits<float>::infinity();
  const int64_t blocks = (vocab_ + kScreenBlock - 1) / kScreenBlock;
  for (int64_t k = 0; screened && k < blocks; ++k) {
    const int64_t begin = k * kScreenBlock, end = std::min(begin + kScreenBlock, vocab_);
    float low = -std::numeric_limits<float>::infinity(), high = low;
#pragma omp simd reduction(max : low, high)
    for (int64_t j = begin; j < end; ++j) {
      const float y = s * products[j] + bias[j];
      const float m = margin(j, y);
      low = std::max(low, y - m + offset[j]);
      high = std::max(high, y + m + offset[j]);
    }
    threshold = std::max(threshold, low);
    block_high[k] = high;
  }
  float best_value = -std::numeric_limits<float>::infinity();
  int best_column = -1;
  const auto confirm = [&](int64_t j) {
    ++confirmed;
    const float value = dot(x, columns + j * hidden_, hidden_) + bias[j];
    if (value > best_value) {  // columns come in increasing order: a tie keeps the lower one
      best_value = value;
      best_column = static_cast<int>(j);
    }
  };
  for (int64_t k = 0; k < blocks; ++k) {
    const int64_t begin = k * kScreenBlock, end = std::min(begin + kScreenBlock, vocab_);
    if (!screened) {
      for (int64_t j = begin; j < end; ++j)
        if (offset[j] == 0.0f) confirm(j);
      continue;
    }
    if (!(block_high[k] >= threshold)) continue;  // most blocks: nothing in them can be best
    for (int64_t j = begin; j < end; ++j) {
      const float y = s * products[j] + bias[j];
      if (y + margin(j, y) + offset[j] >= threshold) confirm(j);
    }
  }
  return best_column;
}

}  // namespace ferry
