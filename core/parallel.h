// Helpers for the toolkit's own OpenMP loops.
#pragma once

#include <cstdint>

namespace ferry {

// Below about this many elements of work a loop runs on one thread: starting a team costs more than it saves.
constexpr int64_t kParallelMinElements = 1 << 15;

// f32 values in a 64-byte cache line: the width of column blocks that threads own when they accumulate into
// shared rows, so that no two threads write into one line.
constexpr int64_t kFloatsPerCacheLine = 16;

// Sums term(i) over i in [0, n) in double. The range is cut into a fixed number of chunks whose partial sums
// are added in chunk order, so the result is the same for every thread count. `elements_per_term` (the rough
// work of one term) decides whether to use threads at all. term may also write results of its own (disjoint
// per i).
template <typename Term>
double deterministic_sum(int64_t n, int64_t elements_per_term, Term&& term) {
  constexpr int kChunks = 64;
  double partial[kChunks] = {};
#pragma omp parallel for schedule(dynamic, 1) if (n * elements_per_term >= kParallelMinElements)
  for (int chunk = 0; chunk < kChunks; ++chunk) {
    const int64_t begin = n * chunk / kChunks;
    const int64_t end = n * (chunk + 1) / kChunks;
    double sum = 0;
    for (int64_t i = begin; i < end; ++i) sum += term(i);
    partial[chunk] = sum;
  }
  double total = 0;
  for (double sum : partial) total += sum;
  return total;
}

}  // namespace ferry
