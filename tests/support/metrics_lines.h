// Reading metrics.jsonl in tests: each line as its keys and values.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ferry {

// One flat JSON object: key -> value as written (numbers and null; metrics lines hold no strings).
using MetricsLine = std::map<std::string, std::string>;

// The lines of a metrics.jsonl text; throws (failing the test) on a line that is not a complete flat object
// or a text that does not end with a newline.
std::vector<MetricsLine> metrics_lines(const std::string& text);
// The keys of a line, sorted.
std::vector<std::string> keys_of(const MetricsLine& line);
// Whether it is a validation line (has valid_ppl) rather than a training line.
bool is_validation(const MetricsLine& line);

}  // namespace ferry
