// The best column of x·W + b for each row of x, as f32 ranks them, without the whole f32 product: greedy
// search needs only each row's best token. An 8-bit product (Int8Weight) gives every column's value to within
// a margin that the quantization bounds (see best_columns); only the columns whose value can still reach the
// best one are computed again in f32, from a plain copy of the weight's columns. Greedy translation in f32
// takes about a quarter less time this way (docs/performance.md, "Greedy search without the whole
// distribution").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/layers/int8_weight.h"
#include "core/param.h"
#include "core/tensor.h"

namespace ferry {

// What the screen reads of the weight at one version besides its 8-bit copy: each column's values
// contiguous, and each column's sum of magnitudes.
struct ScreenColumns {
  Tensor transposed;       // {V, H}: the weight's columns as rows (empty when the weight is a {V, H} table)
  std::vector<double> l1;  // {V}: Σ_i |W[i, j]|
};

class ArgmaxScreen {
 public:
  // Whether this CPU runs the 8-bit products the screen needs (Context::has_int8_dot_products).
  static bool available();

  // weight: the parameter {H, V}, or with `transposed` a {V, H} table read as its transpose; bias {V};
  // excluded: columns that never count as best. The parameters must outlive this object.
  ArgmaxScreen(const Parameter& weight, bool transposed, const Parameter& bias, std::vector<int> excluded);

  // x: {R, H} f32. best: resized to {R}, each row's column j of the largest f32 value x·W[:, j] + b[j]
  // (ties: the lower j), excluded columns and those of value -inf or NaN left out; -1 when none is left.
  // The f32 values compared are this object's own dot products, so a choice between two columns whose f32
  // values agree to rounding may differ from another f32 product's.
  void best_columns(const Tensor& x, std::vector<int>& best);

  // Columns computed in f32 over the calls so far, and rows screened: how much the screen leaves.
  int64_t confirmed_columns() const { return confirmed_; }
  int64_t screened_rows() const { return screened_; }

 private:
  // The columns' copy for the weight's current version.
  const ScreenColumns& columns();
  // One row's best_columns: x {H}, products {V} and s from the 8-bit product, g the dot product's rounding
  // bound, columns {V, H}, block_high: room for each block's largest upper bound; counts the columns it
  // computes in f32 into `confirmed`.
  int best_of_row(const float* x, const float* products, float s, float g, const float* columns,
                  float* block_high, int64_t& confirmed) const;

  const Parameter& weight_;
  bool transposed_;
  const Parameter& bias_;
  Int8Weight int8_;
  int64_t hidden_, vocab_;     // int8_'s in and out
  std::vector<float> offset_;  // {V}: -inf for a column that never counts, else 0
  std::shared_ptr<const ScreenColumns> columns_;
  uint64_t columns_version_ = 0;
  Tensor products_, row_scales_;
  std::vector<float> l1_term_, scale_term_, bias_term_;  // {V}: each column's margin, but for the row's part
  std::optional<std::pair<uint64_t, uint64_t>> terms_versions_;  // the weight's and the bias's, of the terms
  std::vector<float> block_high_;                        // {R, blocks of columns}: best_of_row's room
  int64_t confirmed_ = 0, screened_ = 0;
};

}  // namespace ferry
