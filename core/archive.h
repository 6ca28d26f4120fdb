// A self-describing binary container of named blobs and f32 tensors, the format of model and checkpoint
// files: magic (8 bytes), format version, entries (name, kind, dims, bytes), then a CRC-32 of everything
// before it. Files are written atomically and verified completely before anything is handed out.
// Each tensor's bytes start 64-byte aligned in the file: where they would not, the writer puts a blob of
// padding before the tensor's entry, named with kPaddingPrefix, which readers skip. So a mapped file's
// tensors can be used where they lie (Archive::view). Files without padding read the same.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "util/file_io.h"

namespace ferry {

// Names of the padding entries; no other entry's name starts so.
inline const std::string kPaddingPrefix = ".padding/";

class ArchiveWriter {
 public:
  void add_blob(const std::string& name, const std::string& bytes);
  // f32. The tensor's values are not copied: they are read when the archive is written, so they must not
  // change before.
  void add_tensor(const std::string& name, const Tensor& tensor);
  // The whole file's bytes.
  std::string serialize(const std::string& magic, uint32_t version) const;
  // Writes atomically (temporary file, flush, rename), piece by piece: no copy of the whole file in memory.
  void write(const std::string& path, const std::string& magic, uint32_t version) const;

 private:
  struct Entry {
    std::string name;
    uint8_t kind;
    Dims dims;
    std::string blob;
    Tensor tensor;  // shares the tensor's storage
  };
  // The file as pieces: headers in `headers` (kept alive by the caller), values where they lie; the CRC last.
  std::vector<ByteView> pieces(const std::string& magic, uint32_t version, std::vector<std::string>& headers) const;

  std::vector<Entry> entries_;
};

class Archive {
 public:
  // Reads and verifies a file. ModelFileError naming `path` if it is missing, truncated, damaged (checksum),
  // of another kind (magic) or of a format version other than `version`.
  static Archive read(const std::string& path, const std::string& magic, uint32_t version);
  static Archive parse(std::string bytes, const std::string& origin, const std::string& magic, uint32_t version);

  bool has(const std::string& name) const { return entries_.count(name) != 0; }
  // ModelFileError if absent or of the other kind.
  std::string blob(const std::string& name) const;
  Tensor tensor(const std::string& name) const;
  // Copies a stored tensor into `into`, which must have the same dims (ModelFileError otherwise).
  void load_into(const std::string& name, Tensor& into) const;
  // A stored tensor without a copy where its bytes lie 64-byte aligned in a mapped file (files written by
  // this writer), else a copy; ModelFileError unless it has `dims`. A view keeps the file mapped; writes to
  // it stay in this process (each copies its page), the file never changes.
  Tensor view(const std::string& name, const Dims& dims) const;
  // Every entry's name but the padding's.
  std::vector<std::string> names() const;
  const std::string& origin() const { return origin_; }

 private:
  // Entries point into the file's bytes, which the archive keeps: the mapped file, or one copy of the bytes.
  struct Entry {
    uint8_t kind;
    Dims dims;
    size_t offset;
    size_t size;
  };
  const Entry& entry(const std::string& name, uint8_t kind) const;
  // The tensor entry `name`, ModelFileError unless it has `dims`.
  const Entry& tensor_entry(const std::string& name, const Dims& dims) const;
  static Archive from_bytes(std::shared_ptr<const void> owner, std::string_view bytes, const std::string& origin,
                            const std::string& magic, uint32_t version);
  const char* data(const Entry& e) const { return bytes_ + e.offset; }

  std::string origin_;
  std::shared_ptr<const void> owner_;  // keeps the bytes: the mapped file, or the string parsed
  const char* bytes_ = nullptr;
  bool copy_on_write_ = false;  // the bytes are a private mapping (a mapped file): views may be written
  std::map<std::string, Entry> entries_;
};

}  // namespace ferry
