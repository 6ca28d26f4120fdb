#include "util/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace ferry {

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, Mode mode) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  FERRY_CHECK(fd >= 0, InputError, "cannot open '" << path << "': " << std::strerror(errno));
  struct stat info {};
  const bool stated = ::fstat(fd, &info) == 0;
  const int stat_error = errno;
  if (!stated || !S_ISREG(info.st_mode)) {
    ::close(fd);
    FERRY_THROW(InputError, "'" << path << "' " << (stated ? "is not a regular file" : std::strerror(stat_error)));
  }
  const auto size = static_cast<size_t>(info.st_size);
  void* address = nullptr;
  if (size > 0) {
    const bool writable = mode == Mode::kCopyOnWrite;
    address = ::mmap(nullptr, size, writable ? PROT_READ | PROT_WRITE : PROT_READ, writable ? MAP_PRIVATE : MAP_SHARED,
                     fd, 0);
    const int error = errno;
    ::close(fd);  // the mapping keeps the file
    FERRY_CHECK(address != MAP_FAILED, InputError, "cannot map '" << path << "': " << std::strerror(error));
  } else {
    ::close(fd);
  }
  return std::shared_ptr<const MappedFile>(new MappedFile(path, address, size));
}

MappedFile::~MappedFile() {
  if (address_ != nullptr) ::munmap(address_, size_);
}

}  // namespace ferry
