#include "translate/kept_rows.h"

namespace ferry {

void keep_rows(StepScorer& scorer, const std::vector<int>& kept, std::vector<size_t>& active,
               std::vector<int>& tokens) {
  if (kept.size() == active.size()) return;
  for (size_t q = 0; q < kept.size(); ++q) active[q] = active[static_cast<size_t>(kept[q])];
  active.resize(kept.size());
  tokens.resize(kept.size());
  if (!kept.empty()) scorer.keep_sentences(kept);
}

}  // namespace ferry
