#include "support/corpus.h"

#include <stdexcept>

#include "util/file_io.h"

namespace ferry {

std::string multi30k_file(const std::string& name) {
  const std::string path = std::string(FERRY_TEST_DATA_DIR) + "/" + name;
  if (!file_exists(path))
    throw std::runtime_error("test corpus file " + path + " is missing: run scripts/get-data.sh");
  return path;
}

std::vector<std::string> multi30k_lines(const std::string& name, size_t count) {
  LineReader reader(multi30k_file(name));
  std::vector<std::string> lines;
  for (std::string line; lines.size() < count && reader.next(line);) lines.push_back(line);
  return lines;
}

std::string program_path(const std::string& name) { return std::string(FERRY_BIN_DIR) + "/" + name; }

std::string source_dir() { return FERRY_SOURCE_DIR; }

}  // namespace ferry
