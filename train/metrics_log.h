// metrics.jsonl: one JSON object a line, for plotting: training lines (step, epoch, loss, ppl,
// tokens_per_sec, lr, grad_norm, elapsed_sec, skipped_steps) and validation lines (step, valid_ppl,
// valid_bleu, valid_chrf).
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

#include "util/json_line.h"

namespace ferry {

class MetricsLog {
 public:
  // Opens `path` for appending; InputError if it cannot be opened. A fresh run (no `resumed_step`) empties
  // it. A run resumed from the checkpoint of `resumed_step` first drops what the stopped run wrote after that
  // checkpoint (lines of later steps, a half-written last line), so that the file holds every step once.
  MetricsLog(const std::string& path, std::optional<int64_t> resumed_step);
  void write(const JsonLine& line);

 private:
  std::string path_;
  std::ofstream out_;
};

// The lines of a metrics.jsonl text that a run resumed at `step` keeps: complete lines of steps up to `step`.
std::string metrics_up_to_step(const std::string& text, int64_t step);

}  // namespace ferry
