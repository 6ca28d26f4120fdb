#include "core/profiler.h"

namespace ferry {

bool Profiler::enabled_ = false;
std::array<double, static_cast<size_t>(Part::kCount)> Profiler::seconds_{};

const char* part_name(Part part) {
  switch (part) {
    case Part::kEncoder: return "encoder";
    case Part::kBridge: return "bridge";
    case Part::kDecoderRnn: return "decoder RNN";
    case Part::kAttention: return "attention+combine";
    case Part::kOutput: return "output+loss";
    case Part::kOptimizer: return "optimizer";
    case Part::kData: return "data";
    case Part::kCount: break;
  }
  return "?";
}

void Profiler::set_enabled(bool enabled) { enabled_ = enabled; }

void Profiler::reset() { seconds_.fill(0.0); }

}  // namespace ferry
