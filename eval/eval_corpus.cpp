#include "eval/eval_corpus.h"

#include "eval/unicode_text.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"

namespace ferry {
namespace {

// Where lines come from, for messages: "in 'hyp.txt'" or "on standard input".
std::string source_of(const std::string& path) {
  return path == kStandardInput ? std::string("on standard input") : "in '" + path + "'";
}

}  // namespace

std::vector<std::string> read_text_lines(const std::string& path) {
  LineReader reader(path == kStandardInput ? std::string("/dev/stdin") : path);
  std::vector<std::string> lines;
  size_t repaired_lines = 0, first_repaired_line = 0;
  for (std::string line; reader.next(line);) {
    if (repair_utf8(line) > 0 && repaired_lines++ == 0) first_repaired_line = reader.line_number();
    lines.push_back(std::move(line));
  }
  if (repaired_lines > 0) {
    log_warning() << "invalid UTF-8 replaced by U+FFFD on " << repaired_lines << " line(s) "
                  << source_of(path) << ", the first being line " << first_repaired_line;
  }
  return lines;
}

EvalCorpus read_eval_corpus(const std::string& hypothesis_path,
                            const std::vector<std::string>& reference_paths) {
  FERRY_CHECK(!reference_paths.empty(), InputError, "no reference file given");
  EvalCorpus corpus;
  for (const std::string& path : reference_paths) {
    corpus.references.push_back(read_text_lines(path));
    const size_t lines = corpus.references.back().size(), expected = corpus.references.front().size();
    FERRY_CHECK(lines == expected, InputError,
                "line counts differ: " << expected << " lines " << source_of(reference_paths.front())
                                       << " but " << lines << " " << source_of(path));
  }
  corpus.hypotheses = read_text_lines(hypothesis_path);
  const size_t expected = corpus.references.front().size();
  FERRY_CHECK(corpus.hypotheses.size() == expected, InputError,
              "line counts differ: " << corpus.hypotheses.size() << " hypotheses "
                                     << source_of(hypothesis_path) << " but " << expected
                                     << " reference lines " << source_of(reference_paths.front()));
  return corpus;
}

}  // namespace ferry
