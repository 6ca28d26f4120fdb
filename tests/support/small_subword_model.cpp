#include "support/small_subword_model.h"

#include <vector>

#include "support/corpus.h"
#include "util/utf8.h"

namespace ferry {

SubwordModel small_subword_model(const std::string& corpus_file, size_t lines, int pieces) {
  std::vector<std::string> cleaned;
  for (const std::string& line : multi30k_lines(corpus_file, lines)) cleaned.push_back(clean_line(line));
  SubwordConfig config;
  config.size = pieces;
  return SubwordModel::from_bytes(SubwordModel::train(cleaned, config, 1, 2), corpus_file);
}

}  // namespace ferry
