// Files: line reading from plain or gzipped text, whole-file reads, atomic writes, CRC-32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ferry {

// Reads a text file line by line; gzip-compressed files are decompressed transparently.
class LineReader {
 public:
  // DataError if the file cannot be opened.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Next line without its "\n" (a final line without newline counts); false at the end.
  // DataError on a read or decompression error, naming the file and line.
  bool next(std::string& line);
  // 1-based number of the line last returned.
  size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();  // reads the next chunk into buffer_; false at the end of the file

  std::string path_;
  void* file_;  // gzFile
  std::string buffer_;
  size_t position_ = 0;  // next unread byte of buffer_
  size_t line_number_ = 0;
};

// Whole file as bytes; InputError naming the file if it cannot be read.
std::string read_file(const std::string& path);
// Whether `path` names a regular file.
bool file_exists(const std::string& path);
// Whether `path` names a folder.
bool is_folder(const std::string& path);
// Creates a folder and its parents if missing; InputError naming the path if that cannot be done (a part of
// it is a file, no permission).
void create_folders(const std::string& path);

// Bytes owned elsewhere.
struct ByteView {
  const void* data;
  size_t size;
};

// Writes `bytes` so that `path` holds either its old content or all of the new one, never a mix:
// a temporary file in the same folder, flushed to disk, then renamed over `path`. InputError on failure.
void write_file_atomic(const std::string& path, const std::string& bytes);
// The same for a file made of `pieces` one after the other, written without joining them in memory.
void write_file_atomic(const std::string& path, const std::vector<ByteView>& pieces);
// Deletes the temporaries that write_file_atomic(path, ...) calls of processes no longer running left behind
// (killed while writing), and returns their paths. A live process's temporary is kept.
std::vector<std::string> remove_stale_temporaries(const std::string& path);

// CRC-32 (zlib's polynomial) of `size` bytes, continuing from `crc` (0 to start).
uint32_t crc32_of(const void* data, size_t size, uint32_t crc = 0);
// The CRC-32 of bytes A then B, from A's CRC, B's CRC and B's size, without the bytes.
uint32_t crc32_joined(uint32_t crc_a, uint32_t crc_b, size_t size_b);

}  // namespace ferry
