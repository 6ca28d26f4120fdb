#include "translate/input_line.h"

#include "util/log.h"
#include "util/utf8.h"

namespace ferry {
namespace {

// More bytes of cleaned text than any subword covers (a SentencePiece piece holds at most 16 characters of
// at most 4 bytes by default, and whitespace runs are one space by now), with room for models trained with
// longer pieces.
constexpr int64_t kMaxBytesPerSubword = 256;

// Cuts `text` to at most `bytes` bytes at the last space before the limit (else at a character boundary):
// the words before the cut are encoded as they would be in the whole line.
void cut_text(std::string& text, size_t bytes) {
  size_t end = text.rfind(' ', bytes);
  if (end == std::string::npos || end == 0) {
    end = bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // inside a character
  }
  text.resize(end);
}

}  // namespace

PreparedInput prepare_input(const std::string& raw_line, const SubwordModel& src_vocab, int64_t max_tokens) {
  PreparedInput input;
  TextRepairs repairs;
  std::string text = clean_line(raw_line, &repairs);
  if (repairs.invalid_utf8)
    input.warnings.push_back("invalid UTF-8 replaced (" + std::to_string(repairs.invalid_utf8) +
                             " sequences)");
  if (repairs.control_chars)
    input.warnings.push_back("control characters removed (" + std::to_string(repairs.control_chars) + ")");
  if (text.empty()) return input;
  // A line far longer than what is kept is cut before it is encoded, so that its cost (time and memory)
  // stays bounded whatever its length.
  const size_t byte_limit = static_cast<size_t>(max_tokens * kMaxBytesPerSubword);
  const size_t bytes = text.size();
  if (max_tokens > 0 && bytes > byte_limit) cut_text(text, byte_limit);
  input.ids = src_vocab.encode(text);
  if (max_tokens > 0 && (static_cast<int64_t>(input.ids.size()) > max_tokens || bytes > byte_limit)) {
    const std::string length = bytes > byte_limit ? std::to_string(bytes) + " bytes"
                                                  : std::to_string(input.ids.size()) + " subwords";
    input.warnings.push_back("too long (" + length + "), cut to " + std::to_string(max_tokens) + " subwords");
    if (static_cast<int64_t>(input.ids.size()) > max_tokens)
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
