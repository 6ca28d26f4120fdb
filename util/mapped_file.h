// A file mapped into memory: its pages are read when first touched, and are the page cache's, shared by every
// process that maps the same file. A mapping made with kCopyOnWrite may also be written: a written page
// becomes this process's own copy and the file never changes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace ferry {

class MappedFile {
 public:
  // kCopyOnWrite: callers may write through const_cast<char*>(data()).
  enum class Mode { kReadOnly, kCopyOnWrite };
  // InputError naming `path` if it cannot be opened or mapped.
  static std::shared_ptr<const MappedFile> open(const std::string& path, Mode mode = Mode::kReadOnly);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const char* data() const { return static_cast<const char*>(address_); }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, void* address, size_t size) : path_(std::move(path)), address_(address), size_(size) {}

  std::string path_;
  void* address_;  // nullptr for an empty file
  size_t size_;
};

}  // namespace ferry
