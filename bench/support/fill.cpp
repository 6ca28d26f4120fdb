#include "bench/support/fill.h"

namespace ferry {

void fill_uniform(Tensor& t, float scale, uint32_t seed) {
  float* data = t.data();
  uint32_t state = seed;
  for (int64_t i = 0; i < t.numel(); ++i) {
    state = state * 1664525u + 1013904223u;
    data[i] = scale * (static_cast<float>(state >> 8) / 16777216.0f - 0.5f);
  }
}

}  // namespace ferry
