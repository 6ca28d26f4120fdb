#include "util/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "util/error.h"

namespace ferry {
namespace {

// write_file_atomic writes `path` + kTemporaryInfix + its process id, then renames that over `path`.
constexpr const char* kTemporaryInfix = ".tmp.";

bool process_running(int pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

LineReader::LineReader(const std::string& path) : path_(path), file_(nullptr) {
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) FERRY_THROW(DataError, "cannot open '" << path << "': " << std::strerror(errno));
  gzbuffer(static_cast<gzFile>(file_), 1 << 17);
}

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose(static_cast<gzFile>(file_));
}

bool LineReader::fill() {
  gzFile file = static_cast<gzFile>(file_);
  buffer_.resize(1 << 16);
  const int n = gzread(file, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  int error_code = Z_OK;
  const char* message = gzerror(file, &error_code);
  if (error_code == Z_ERRNO)
    FERRY_THROW(DataError, "cannot read '" << path_ << "' after line " << line_number_ << ": " << message);
  // A stream that ends before its gzip trailer is Z_BUF_ERROR, while gzread returns 0 as at a clean end.
  if (error_code != Z_OK) {
    FERRY_THROW(DataError, "'" << path_ << "' is a truncated or damaged gzip file (after line "
                               << line_number_ << ": " << message << ")");
  }
  buffer_.resize(static_cast<size_t>(n));
  position_ = 0;
  return n > 0;
}

bool LineReader::next(std::string& line) {
  line.clear();
  bool got_any = false;
  while (position_ < buffer_.size() || fill()) {
    got_any = true;
    const char* begin = buffer_.data() + position_;
    const size_t available = buffer_.size() - position_;
    const void* newline = std::memchr(begin, '\n', available);
    if (newline != nullptr) {
      const size_t length = static_cast<const char*>(newline) - begin;
      line.append(begin, length);
      position_ += length + 1;
      ++line_number_;
      return true;
    }
    line.append(begin, available);
    position_ = buffer_.size();
  }
  if (!got_any) return false;
  ++line_number_;
  return true;
}

std::string read_file(const std::string& path) {
  struct stat info {};
  const bool stated = ::stat(path.c_str(), &info) == 0;
  if (stated && S_ISDIR(info.st_mode))
    FERRY_THROW(InputError, "cannot read '" << path << "': it is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) FERRY_THROW(InputError, "cannot read '" << path << "': " << std::strerror(errno));
  // A regular file is read into a string of its size in one piece: a model file is tens of megabytes, and
  // a growing buffer would copy it several times over.
  std::string bytes;
  if (stated && S_ISREG(info.st_mode)) {
    bytes.resize(static_cast<size_t>(info.st_size));
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
  }
  // What stat could not tell (a pipe, a file that grew meanwhile).
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) bytes.append(buffer, static_cast<size_t>(in.gcount()));
  if (in.bad()) FERRY_THROW(InputError, "cannot read '" << path << "': read error");
  return bytes;
}

bool file_exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_folder(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

void create_folders(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) FERRY_THROW(InputError, "cannot create the folder '" << path << "': " << error.message());
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  write_file_atomic(path, std::vector<ByteView>{{bytes.data(), bytes.size()}});
}

void write_file_atomic(const std::string& path, const std::vector<ByteView>& pieces) {
  const std::string temporary = path + kTemporaryInfix + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) FERRY_THROW(InputError, "cannot create '" << temporary << "': " << std::strerror(errno));
  for (const ByteView& piece : pieces) {
    const auto* bytes = static_cast<const char*>(piece.data);
    size_t written = 0;
    while (written < piece.size) {
      const ssize_t n = ::write(fd, bytes + written, piece.size - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int saved = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        FERRY_THROW(InputError, "cannot write '" << temporary << "': " << std::strerror(saved));
      }
      written += static_cast<size_t>(n);
    }
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    FERRY_THROW(InputError, "cannot flush '" << temporary << "': " << std::strerror(saved));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    FERRY_THROW(InputError, "cannot rename '" << temporary << "' to '" << path << "': " << std::strerror(saved));
  }
  // Make the rename itself durable.
  const size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
}

std::vector<std::string> remove_stale_temporaries(const std::string& path) {
  const std::filesystem::path target(path);
  const std::string prefix = target.filename().string() + kTemporaryInfix;
  std::vector<std::string> removed;
  std::error_code error;
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    if (process_running(std::stoi(pid_text))) continue;
    if (::unlink(entry.path().c_str()) == 0) removed.push_back(entry.path().string());
  }
  return removed;
}

uint32_t crc32_of(const void* data, size_t size, uint32_t crc) {
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {
    const uInt chunk = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    crc = static_cast<uint32_t>(::crc32(crc, bytes, chunk));
    bytes += chunk;
    size -= chunk;
  }
  return crc;
}

uint32_t crc32_joined(uint32_t crc_a, uint32_t crc_b, size_t size_b) {
  return static_cast<uint32_t>(::crc32_combine64(crc_a, crc_b, static_cast<z_off64_t>(size_b)));
}

}  // namespace ferry
