// A fresh temporary folder for one test, removed with everything in it when the test ends.
#pragma once

#include <string>
#include <vector>

namespace ferry {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& name) const { return root_ + "/" + name; }
  // Writes a file (creating subfolders) and returns its path.
  std::string write(const std::string& name, const std::string& content) const;
  // Names of the entries in the folder, sorted.
  std::vector<std::string> list() const;

 private:
  std::string root_;
};

}  // namespace ferry
