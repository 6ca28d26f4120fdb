#include "data/corpus.h"

#include <sstream>

#include "util/error.h"
#include "util/file_io.h"
#include "util/utf8.h"

namespace ferry {

ParallelCorpus read_parallel_corpus(const CorpusPaths& paths, int64_t max_pairs) {
  LineReader src_reader(paths.src);
  LineReader tgt_reader(paths.tgt);
  ParallelCorpus corpus;
  TextRepairs repairs;
  std::string src_line, tgt_line;
  while (max_pairs <= 0 || corpus.stats.lines < static_cast<size_t>(max_pairs)) {
    const bool has_src = src_reader.next(src_line);
    const bool has_tgt = tgt_reader.next(tgt_line);
    if (!has_src || !has_tgt) {
      if (has_src || has_tgt) {  // count the rest of the longer file for the message
        LineReader& longer = has_src ? src_reader : tgt_reader;
        std::string rest;
        while (longer.next(rest)) {
        }
        FERRY_THROW(DataError, "line counts differ: '" << paths.src << "' has " << src_reader.line_number()
                                                       << " lines, '" << paths.tgt << "' has "
                                                       << tgt_reader.line_number());
      }
      break;
    }
    ++corpus.stats.lines;
    std::string src = clean_line(src_line, &repairs);
    std::string tgt = clean_line(tgt_line, &repairs);
    if (src.empty() || tgt.empty()) {
      ++corpus.stats.empty_pairs;
      continue;
    }
    corpus.src.push_back(std::move(src));
    corpus.tgt.push_back(std::move(tgt));
    corpus.line_numbers.push_back(corpus.stats.lines);
  }
  corpus.stats.invalid_utf8 = repairs.invalid_utf8;
  corpus.stats.control_chars = repairs.control_chars;
  return corpus;
}

ParallelCorpus read_text_corpus(const std::string& path, int64_t max_lines) {
  LineReader reader(path);
  ParallelCorpus corpus;
  TextRepairs repairs;
  std::string line;
  while ((max_lines <= 0 || corpus.stats.lines < static_cast<size_t>(max_lines)) && reader.next(line)) {
    ++corpus.stats.lines;
    std::string text = clean_line(line, &repairs);
    if (text.empty()) {
      ++corpus.stats.empty_pairs;
      continue;
    }
    corpus.src.emplace_back();
    corpus.tgt.push_back(std::move(text));
    corpus.line_numbers.push_back(corpus.stats.lines);
  }
  corpus.stats.invalid_utf8 = repairs.invalid_utf8;
  corpus.stats.control_chars = repairs.control_chars;
  return corpus;
}

ParallelCorpus read_corpus(const CorpusPaths& paths, int64_t max_pairs) {
  return paths.text.empty() ? read_parallel_corpus(paths, max_pairs)
                            : read_text_corpus(paths.text, max_pairs);
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
