// Which references of a line take part in scoring. As in sacreBLEU 2.6, every reference a file gives is
// scored, an empty one (or one of only whitespace, which sacreBLEU's command line strips to empty) as a
// reference of length zero: it holds no n-grams, but its length can be the closest to the hypothesis's.
// Only a line with no reference at all is scored against a single empty one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

// Reference streams of a corpus: [stream][line], one stream per reference file.
using ReferenceStreams = std::vector<std::vector<std::string>>;

// The references of one line that are scored against (never none, see above).
std::vector<std::string_view> usable_references(const std::vector<std::string_view>& references);

// The references of line `line` across all streams, before selection.
std::vector<std::string_view> references_of_line(const ReferenceStreams& streams, size_t line);

// InputError unless there is at least one stream and every stream has `lines` lines.
void check_streams_align(size_t lines, const ReferenceStreams& streams);

}  // namespace ferry
