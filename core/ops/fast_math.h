// exp and tanh for f32 in plain arithmetic that compilers turn into SIMD code inside `#pragma omp simd` loops
// (std::exp and std::tanh are scalar libm calls without -ffast-math): the softmax and loss loops over the
// vocabulary and the tanh layers are bound by them. Where AVX-512 is compiled for, exp and tanh also take
// 16 lanes at once (__m512), for loops written over vectors.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace ferry {

// Range reduction by ln 2 in two parts and a degree-6 polynomial on [-ln2/2, ln2/2] (Cephes' expf scheme):
// within 2 ulp of the exact value. Inputs below -87.3 give 0; larger inputs than 88 give e^88; NaN gives NaN.
// The clamps let NaN through (it stays NaN through the arithmetic), and 2^n is built from the bits of a
// float rather than by floor and a conversion to an integer: a vectorised sum of these takes 30
// instructions per vector where that version took 41, and 28% less time.
inline float fast_exp(float x) {
  float clamped = x < -87.3f ? -87.3f : x;
  clamped = clamped > 88.0f ? 88.0f : clamped;
  // Adding 1.5 * 2^23 rounds to the nearest integer n, which the low bits of the mantissa then hold.
  constexpr float kRound = 12582912.0f;
  const float shifted = clamped * 1.44269504088896341f + kRound;
  const float n = shifted - kRound;
  const float r = clamped - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  // 2^n: n + 127 in the exponent field. The bits of `shifted` are those of 1.5 * 2^23 (zero in the low 22
  // bits, so shifted out) plus n, with n + 127 in [1, 254].
  uint32_t bits;
  std::memcpy(&bits, &shifted, sizeof bits);
  bits = (bits + 127u) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < -87.3f ? 0.0f : e * scale;
}

#if defined(__AVX512F__)
// fast_exp over 16 lanes, with the same reduction and polynomial and 2^n applied by vscalefps. A vectorised
// fast_exp compiles its clamps and the bits of 2^n into masked arithmetic and blends; this takes half its
// time. Within 2 ulp over [-87.3, 88] like fast_exp; below -87.3 it gives denormals down to 0, where
// fast_exp gives 0; above 88, e^88; NaN stays NaN (max and min return their second operand for NaN).
inline __m512 fast_exp(__m512 x) {
  // The zero-masking forms with every lane set: the plain ones start from _mm512_undefined_ps(), which GCC 12
  // reports as maybe uninitialised once inlined into OpenMP regions.
  constexpr __mmask16 kAll = 0xffff;
  x = _mm512_maskz_min_ps(kAll, _mm512_set1_ps(88.0f), _mm512_maskz_max_ps(kAll, _mm512_set1_ps(-104.0f), x));
  const __m512 n = _mm512_maskz_roundscale_ps(kAll, _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  const __m512 e = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(kAll, e, n);
}
#endif

// The sum of e^(x[i] - shift) over n values, for a softmax's normaliser: float sums in the vector's lanes
// over blocks of 256 values, the blocks' sums added in double. Summing in double throughout halves the
// lanes (a fifth of a log-softmax's time); a lane's float sum here has at most 256 / lanes terms of at
// most 1 each.
inline double sum_exp(const float* x, int64_t n, float shift) {
  constexpr int64_t kBlock = 256;
#if defined(__AVX512F__)
  // The blocks' lane sums go into double lanes, added up once at the end.
  const __m512 s = _mm512_set1_ps(shift);
  __m512d low = _mm512_setzero_pd(), high = _mm512_setzero_pd();
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t end = begin + kBlock < n ? begin + kBlock : n;
    __m512 lanes = _mm512_setzero_ps();
    int64_t i = begin;
    for (; i + 16 <= end; i += 16) lanes = _mm512_add_ps(lanes, fast_exp(_mm512_sub_ps(_mm512_loadu_ps(x + i), s)));
    if (i < end) {
      const auto live = static_cast<__mmask16>((1u << (end - i)) - 1);
      const __m512 e = fast_exp(_mm512_sub_ps(_mm512_maskz_loadu_ps(live, x + i), s));
      lanes = _mm512_mask_add_ps(lanes, live, lanes, e);
    }
    // Halves by extractf64x4 (AVX-512F; extractf32x8 needs DQ), in the zero-masking forms as in fast_exp.
    const __m512d halves = _mm512_castps_pd(lanes);
    const __m256 first = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xf, halves, 0));
    const __m256 second = _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xf, halves, 1));
    low = _mm512_add_pd(low, _mm512_maskz_cvtps_pd(0xff, first));
    high = _mm512_add_pd(high, _mm512_maskz_cvtps_pd(0xff, second));
  }
  const __m512d both = _mm512_add_pd(low, high);
  double sum = 0;  // not _mm512_reduce_add_pd, whose inlined form GCC 12 warns about in OpenMP regions
  for (int lane = 0; lane < 8; ++lane) sum += both[lane];
  return sum;
#else
  double sum = 0;
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t end = begin + kBlock < n ? begin + kBlock : n;
    float block = 0.0f;
#pragma omp simd reduction(+ : block)
    for (int64_t i = begin; i < end; ++i) block += fast_exp(x[i] - shift);
    sum += block;
  }
  return sum;
#endif
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

// tanh within 3e-7 absolute, not relative (near 0 the subtraction leaves multiples of 2^-24), as
// 1 - 2 / (e^(2x) + 1): for sums of many tanh terms such as MLP attention's scores, where only absolute error
// counts. Without fast_tanh's series for small |x| it takes a fifth less time. For float, and where AVX-512 is
// compiled for, __m512 (GCC's vector types take the scalar operands).
template <typename T>
inline T fast_tanh_absolute(T x) {
  return 1.0f - 2.0f / (fast_exp(2.0f * x) + 1.0f);
}

}  // namespace ferry
