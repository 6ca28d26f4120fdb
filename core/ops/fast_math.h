// exp and tanh for f32 in plain arithmetic that compilers turn into SIMD code inside `#pragma omp simd` loops
// (std::exp and std::tanh are scalar libm calls without -ffast-math): the softmax and loss loops over the
// vocabulary and the tanh layers are bound by them.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ferry {

// Range reduction by ln 2 in two parts and a degree-6 polynomial on [-ln2/2, ln2/2] (Cephes' expf scheme):
// within 2 ulp of the exact value. Inputs below -87.3 give 0; larger inputs than 88 give e^88; NaN gives NaN.
inline float fast_exp(float x) {
  // Plain comparisons vectorise; std::fmin/fmax do not. NaN takes the low clamp here, so that the exponent
  // below stays an integer in range, and comes back as NaN at the end.
  const float low = !(x >= -87.3f) ? -87.3f : x;
  const float clamped = low > 88.0f ? 88.0f : low;
  const float n = std::floor(clamped * 1.44269504088896341f + 0.5f);
  const float r = clamped - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;  // 2^n
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < -87.3f ? 0.0f : (x != x ? x : e * scale);
}

// tanh within 4e-7 relative: its odd Taylor series to x^11 where |x| < 0.3, else 1 - 2 / (e^(2x) + 1).
inline float fast_tanh(float x) {
  const float x2 = x * x;
  float series = -1382.0f / 155925.0f;
  series = series * x2 + 62.0f / 2835.0f;
  series = series * x2 - 17.0f / 315.0f;
  series = series * x2 + 2.0f / 15.0f;
  series = series * x2 - 1.0f / 3.0f;
  series = x + x * x2 * series;
  const float away = 1.0f - 2.0f / (fast_exp(2.0f * x) + 1.0f);
  return x2 < 0.09f ? series : away;
}

}  // namespace ferry
