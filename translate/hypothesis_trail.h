// The tokens every row of a search has chosen, kept as a tree: each step adds one node per extended row,
// pointing to the node it extends, so reordering rows never copies histories. Optionally each node carries
// the attention weights of the step that chose it.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/hypothesis.h"

namespace ferry {

class HypothesisTrail {
 public:
  static constexpr int kRoot = -1;  // the parent of a hypothesis's first token

  // Forgets every node. `attention_width` columns of attention are kept per node (0: none); room for
  // `expected_nodes` is reserved so that steps do not allocate.
  void clear(int64_t expected_nodes, int64_t attention_width);
  // Adds a node for `token` after `parent` (kRoot or a node); `attention` points to attention_width weights
  // (ignored when none are kept). Returns the new node.
  int add(int parent, int token, const float* attention);
  // The hypothesis ending at `node`: tokens from the first on (a final </s> left out) and, when attention is
  // kept, one row of its first `columns` weights per node.
  void trace(int node, int64_t columns, Hypothesis& out);

 private:
  struct Node {
    int parent;
    int token;
  };
  std::vector<Node> nodes_;
  std::vector<float> attention_;  // {nodes, attention_width}
  int64_t attention_width_ = 0;
  std::vector<int> path_;  // trace() scratch
};

}  // namespace ferry
