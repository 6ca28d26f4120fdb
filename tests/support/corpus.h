// Where tests find the Multi30k corpus (scripts/get-data.sh puts it there) and the built programs.
#pragma once

#include <string>
#include <vector>

namespace ferry {

// Full path of a Multi30k file such as "train.de.gz"; throws (failing the test) if it is missing.
std::string multi30k_file(const std::string& name);
// The first `count` lines of a Multi30k file.
std::vector<std::string> multi30k_lines(const std::string& name, size_t count);
// Full path of a built program such as "train".
std::string program_path(const std::string& name);
// Root of the source tree.
std::string source_dir();

}  // namespace ferry
