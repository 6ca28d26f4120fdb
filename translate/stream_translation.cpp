#include "translate/stream_translation.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "translate/input_line.h"
#include "util/error.h"
#include "util/timing.h"

namespace ferry {
namespace {

// Reads up to `count` lines into `lines` (cleared first); false when the stream held none.
bool read_chunk(std::istream& in, size_t count, std::vector<std::string>& lines) {
  lines.clear();
  std::string line;
  while (lines.size() < count && std::getline(in, line)) lines.push_back(std::move(line));
  FERRY_CHECK(!in.bad(), Error, "reading the input failed");
  return !lines.empty();
}

void show_progress(const StreamSummary& summary) {
  std::fprintf(stderr, "\r\033[Ktranslated %zu lines in %.1f s (%.1f lines/s)", summary.lines,
               summary.seconds,
               summary.seconds > 0 ? static_cast<double>(summary.lines) / summary.seconds : 0.0);
  std::fflush(stderr);
}

}  // namespace

StreamSummary translate_stream(std::istream& in, std::ostream& out, const TranslateSources& translate,
                               const SubwordModel& src_vocab, const OutputWriter& writer,
                               const StreamOptions& options) {
  StreamSummary summary;
  Stopwatch clock;
  std::vector<std::string> lines;
  std::vector<TokenIds> sources;
  std::string text;
  for (size_t chunk = std::max<size_t>(options.first_chunk, 1); read_chunk(in, chunk, lines);
       chunk = options.input_complete ? std::max(options.max_chunk, chunk)
                                      : std::min(chunk * 2, std::max(options.max_chunk, chunk))) {
    if (options.progress) std::fputs("\r\033[K", stderr);  // warnings start on a clean line
    const size_t first = summary.lines;
    sources.clear();
    for (size_t i = 0; i < lines.size(); ++i)
      sources.push_back(prepare_reported(lines[i], src_vocab, options.max_input_length,
                                         "line " + std::to_string(first + i + 1), &summary.warnings));
    const std::vector<NBest> results = translate(sources, first);
    text.clear();
    for (size_t i = 0; i < lines.size(); ++i) writer.write(first + i, sources[i], results[i], text);
    out << text << std::flush;
    FERRY_CHECK(out.good(), Error, "writing the output failed");
    summary.lines += lines.size();
    summary.seconds = clock.seconds();
    if (options.progress) show_progress(summary);
  }
  if (options.progress && summary.lines > 0) std::fputc('\n', stderr);
  summary.seconds = clock.seconds();
  return summary;
}

}  // namespace ferry
