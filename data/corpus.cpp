#include "data/corpus.h"

#include <sstream>

#include "util/error.h"
#include "util/file_io.h"
#include "util/utf8.h"

namespace ferry {

CorpusReader::CorpusReader(const CorpusPaths& paths, int64_t max_pairs)
    : paths_(paths),
      max_pairs_(max_pairs),
      src_reader_(paths.text.empty() ? std::make_unique<LineReader>(paths.src) : nullptr),
      tgt_reader_(std::make_unique<LineReader>(paths.text.empty() ? paths.tgt : paths.text)) {}

bool CorpusReader::next_lines() {
  if (max_pairs_ > 0 && stats_.lines >= static_cast<size_t>(max_pairs_)) return false;
  if (!src_reader_) return tgt_reader_->next(tgt_line_);
  const bool has_src = src_reader_->next(src_line_);
  const bool has_tgt = tgt_reader_->next(tgt_line_);
  if (has_src && has_tgt) return true;
  if (has_src || has_tgt) {  // count the rest of the longer file for the message
    LineReader& longer = has_src ? *src_reader_ : *tgt_reader_;
    std::string rest;
    while (longer.next(rest)) {
    }
    FERRY_THROW(DataError, "line counts differ: '" << paths_.src << "' has " << src_reader_->line_number()
                                                   << " lines, '" << paths_.tgt << "' has "
                                                   << tgt_reader_->line_number());
  }
  return false;
}

bool CorpusReader::next(std::string& src, std::string& tgt) {
  while (next_lines()) {
    ++stats_.lines;
    src = src_reader_ ? clean_line(src_line_, &repairs_) : std::string();
    tgt = clean_line(tgt_line_, &repairs_);
    stats_.invalid_utf8 = repairs_.invalid_utf8;
    stats_.control_chars = repairs_.control_chars;
    if ((src_reader_ && src.empty()) || tgt.empty()) {
      ++stats_.empty_pairs;
      continue;
    }
    return true;
  }
  return false;
}

ParallelCorpus read_corpus(const CorpusPaths& paths, int64_t max_pairs) {
  CorpusReader reader(paths, max_pairs);
  ParallelCorpus corpus;
  std::string src, tgt;
  while (reader.next(src, tgt)) {
    corpus.src.push_back(std::move(src));
    corpus.tgt.push_back(std::move(tgt));
    corpus.line_numbers.push_back(reader.line_number());
  }
  corpus.stats = reader.stats();
  return corpus;
}

std::string describe(const CorpusStats& stats, const CorpusPaths& paths) {
  std::ostringstream out;
  if (paths.text.empty()) {
    out << paths.src << " / " << paths.tgt << ": " << stats.lines << " line pairs";
  } else {
    out << paths.text << ": " << stats.lines << " lines";
  }
  if (stats.empty_pairs)
    out << ", " << stats.empty_pairs << (paths.text.empty() ? " skipped (empty side)" : " skipped (empty)");
  if (stats.invalid_utf8) out << ", " << stats.invalid_utf8 << " invalid UTF-8 sequences replaced";
  if (stats.control_chars) out << ", " << stats.control_chars << " control characters removed";
  return out.str();
}

}  // namespace ferry
