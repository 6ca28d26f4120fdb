#include "translate/input_line.h"

#include "util/log.h"
#include "util/utf8.h"

namespace ferry {

PreparedInput prepare_input(const std::string& raw_line, const SubwordModel& src_vocab, int64_t max_tokens) {
  PreparedInput input;
  TextRepairs repairs;
  const std::string text = clean_line(raw_line, &repairs);
  if (repairs.invalid_utf8)
    input.warnings.push_back("invalid UTF-8 replaced (" + std::to_string(repairs.invalid_utf8) +
                             " sequences)");
  if (repairs.control_chars)
    input.warnings.push_back("control characters removed (" + std::to_string(repairs.control_chars) + ")");
  if (text.empty()) return input;
  input.ids = src_vocab.encode(text);
  if (max_tokens > 0 && static_cast<int64_t>(input.ids.size()) > max_tokens) {
    input.warnings.push_back("too long (" + std::to_string(input.ids.size()) + " subwords), cut to " +
                             std::to_string(max_tokens));
    input.ids.resize(static_cast<size_t>(max_tokens));
  }
  return input;
}

TokenIds prepare_reported(const std::string& raw_line, const SubwordModel& vocab, int64_t max_tokens,
                          const std::string& where, size_t* warnings) {
  PreparedInput input = prepare_input(raw_line, vocab, max_tokens);
  for (const std::string& warning : input.warnings) log_warning() << where << ": " << warning;
  if (warnings) *warnings += input.warnings.size();
  return std::move(input.ids);
}

}  // namespace ferry
