// Turning one raw input line into source ids, whatever it holds: invalid UTF-8 and control characters are
// repaired, overlong lines cut; each repair is reported so the caller can warn. Never fails, never drops.
#pragma once

#include <string>
#include <vector>

#include "data/subword.h"

namespace ferry {

struct PreparedInput {
  TokenIds ids;                       // subword ids, no specials; empty for an empty (or all-whitespace) line
  std::vector<std::string> warnings;  // what was repaired, e.g. "invalid UTF-8 replaced (2 sequences)"
};

// `max_tokens` > 0 cuts the ids to that many.
PreparedInput prepare_input(const std::string& raw_line, const SubwordModel& src_vocab, int64_t max_tokens);

// prepare_input, with each repair logged as a warning "<where>: <what>" (where: e.g. "line 12"). Returns the
// ids; `warnings` (if given) is increased by the number of repairs.
TokenIds prepare_reported(const std::string& raw_line, const SubwordModel& vocab, int64_t max_tokens,
                          const std::string& where, size_t* warnings = nullptr);

}  // namespace ferry
