// metrics.jsonl: one JSON object a line, for plotting: training lines (step, epoch, loss, ppl,
// tokens_per_sec, lr, grad_norm, elapsed_sec, skipped_steps) and validation lines (step, valid_ppl, valid_bleu).
#pragma once

#include <fstream>
#include <string>

#include "util/json_line.h"

namespace ferry {

class MetricsLog {
 public:
  // Appends to `path` (truncates first when `fresh`); InputError if it cannot be opened.
  MetricsLog(const std::string& path, bool fresh);
  void write(const JsonLine& line);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace ferry
