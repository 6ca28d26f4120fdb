#include "support/metrics_lines.h"

#include <sstream>
#include <stdexcept>

namespace ferry {

std::vector<MetricsLine> metrics_lines(const std::string& text) {
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("metrics text ends inside a line");
  std::vector<MetricsLine> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 2 || line.front() != '{' || line.back() != '}')
      throw std::runtime_error("not a JSON object: " + line);
    MetricsLine fields;
    std::istringstream body(line.substr(1, line.size() - 2));
    for (std::string field; std::getline(body, field, ',');) {
      const size_t open = field.find('"'), close = field.find("\": ", open + 1);
      if (open == std::string::npos || close == std::string::npos)
        throw std::runtime_error("malformed field '" + field + "' in: " + line);
      fields[field.substr(open + 1, close - open - 1)] = field.substr(close + 3);
    }
    lines.push_back(std::move(fields));
  }
  return lines;
}

std::vector<std::string> keys_of(const MetricsLine& line) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : line) keys.push_back(key);
  return keys;
}

bool is_validation(const MetricsLine& line) { return line.count("valid_ppl") > 0; }

}  // namespace ferry
