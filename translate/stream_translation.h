// Translating a text stream: lines are read in chunks (small at first, so output starts early, then growing;
// from a file, whole chunks after the first), prepared (repaired, cut, warned about), translated in
// length-sorted batches and written back in input order, one entry per input line, the output flushed after
// every chunk. Nothing is ever dropped or merged: an empty line gives an empty translation, and a last line
// without a newline is still a line.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <vector>

#include "translate/output_writer.h"
#include "translate/translator.h"

namespace ferry {

struct StreamOptions {
  int64_t max_input_length = 250;  // source subwords kept per line
  // Lines read before translating: a small first chunk puts the first lines out at once, and input that
  // arrives slowly is not held back long; each next chunk doubles, up to max_chunk lines, sorted by length
  // into batches as a whole (the larger, the less padding).
  size_t first_chunk = 32;
  size_t max_chunk = 2048;
  // Input that is all there already (a regular file) never arrives slowly: after the first chunk, every
  // chunk is max_chunk lines. Fewer chunks sort more lines together, and translation workers wait for each
  // other only at the end of a chunk.
  bool input_complete = false;
  bool progress = false;  // a progress line on stderr, rewritten after every chunk
};

struct StreamSummary {
  size_t lines = 0;
  size_t warnings = 0;
  double seconds = 0;
};

// Translates sources as Translator::translate does (source i with sampling key first_key + i).
using TranslateSources = std::function<std::vector<NBest>(const std::vector<TokenIds>& sources, uint64_t first_key)>;

StreamSummary translate_stream(std::istream& in, std::ostream& out, const TranslateSources& translate,
                               const SubwordModel& src_vocab, const OutputWriter& writer,
                               const StreamOptions& options);

}  // namespace ferry
