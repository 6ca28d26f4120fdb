#include "translate/hypothesis_trail.h"

#include <algorithm>

#include "util/special_ids.h"

namespace ferry {

void HypothesisTrail::clear(int64_t expected_nodes, int64_t attention_width) {
  nodes_.clear();
  attention_.clear();
  attention_width_ = attention_width;
  nodes_.reserve(static_cast<size_t>(expected_nodes));
  attention_.reserve(static_cast<size_t>(expected_nodes * attention_width));
}

int HypothesisTrail::add(int parent, int token, const float* attention) {
  nodes_.push_back({parent, token});
  if (attention_width_ > 0) attention_.insert(attention_.end(), attention, attention + attention_width_);
  return static_cast<int>(nodes_.size()) - 1;
}

void HypothesisTrail::trace(int node, int64_t columns, Hypothesis& out) {
  out.tokens.clear();
  out.attention.clear();
  path_.clear();
  for (int at = node; at != kRoot; at = nodes_[at].parent) path_.push_back(at);
  std::reverse(path_.begin(), path_.end());
  for (int at : path_) {
    const bool final_eos = at == node && nodes_[at].token == kEosId;
    if (!final_eos) out.tokens.push_back(nodes_[at].token);
    if (attention_width_ > 0) {
      const float* row = attention_.data() + static_cast<size_t>(at) * attention_width_;
      out.attention.insert(out.attention.end(), row, row + columns);
    }
  }
}

}  // namespace ferry
