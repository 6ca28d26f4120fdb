#include "core/archive.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/file_io.h"
#include "util/mapped_file.h"

namespace ferry {
namespace {

constexpr uint8_t kBlob = 0;
constexpr uint8_t kTensorF32 = 1;
constexpr size_t kMagicSize = 8;
constexpr size_t kTensorAlignment = 64;  // where the writer starts each tensor's bytes in the file
// Pieces that threads checksum or copy on their own. A model's first read is slow where the file's pages are
// read for the first time (mapped page cache) or written for the first time (a tensor's fresh pages): a
// second thread halves both at start-up.
constexpr size_t kPieceBytes = size_t{1} << 20;

// Calls piece(index, begin, length) for each kPieceBytes piece of [0, size), on the threads.
template <typename Piece>
void for_each_piece(size_t size, const Piece& piece) {
  const auto pieces = static_cast<int64_t>((size + kPieceBytes - 1) / kPieceBytes);
#pragma omp parallel for schedule(static) if (pieces > 1)
  for (int64_t i = 0; i < pieces; ++i) {
    const size_t begin = static_cast<size_t>(i) * kPieceBytes;
    piece(static_cast<size_t>(i), begin, std::min(kPieceBytes, size - begin));
  }
}

// The CRC-32 of bytes[0, size): the pieces' CRCs, joined in order.
uint32_t checksum(const char* bytes, size_t size) {
  std::vector<uint32_t> crcs((size + kPieceBytes - 1) / kPieceBytes);
  for_each_piece(size, [&](size_t i, size_t begin, size_t length) { crcs[i] = crc32_of(bytes + begin, length); });
  uint32_t crc = 0;
  for (size_t i = 0; i < crcs.size(); ++i)
    crc = crc32_joined(crc, crcs[i], std::min(kPieceBytes, size - i * kPieceBytes));
  return crc;
}

void copy_bytes(void* to, const char* from, size_t size) {
  for_each_piece(size, [&](size_t, size_t begin, size_t length) {
    std::memcpy(static_cast<char*>(to) + begin, from + begin, length);
  });
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Reads fields from the verified bytes, refusing to run past the end.
class Cursor {
 public:
  Cursor(std::string_view bytes, size_t end, const std::string& origin) : bytes_(bytes), end_(end), origin_(origin) {}

  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value), sizeof value);
    return value;
  }
  // Skips `size` bytes; their offset.
  size_t skip(uint64_t size) { return static_cast<size_t>(take(size) - bytes_.data()); }
  std::string get_bytes(uint64_t size) { return std::string(take(size), size); }
  bool done() const { return at_ == end_; }

 private:
  const char* take(uint64_t size) {
    if (size > end_ - at_) FERRY_THROW(ModelFileError, origin_ << " is malformed: an entry runs past the end");
    const char* p = bytes_.data() + at_;
    at_ += size;
    return p;
  }
  std::string_view bytes_;
  size_t end_;
  const std::string& origin_;
  size_t at_ = kMagicSize + sizeof(uint32_t);
};

}  // namespace

void ArchiveWriter::add_blob(const std::string& name, const std::string& bytes) {
  FERRY_CHECK(name.rfind(kPaddingPrefix, 0) != 0, InternalError, "archive entry names the padding's: " << name);
  entries_.push_back({name, kBlob, {}, bytes, Tensor()});
}

void ArchiveWriter::add_tensor(const std::string& name, const Tensor& tensor) {
  FERRY_CHECK(name.rfind(kPaddingPrefix, 0) != 0, InternalError, "archive entry names the padding's: " << name);
  FERRY_CHECK(tensor.dtype() == DType::kF32, InternalError, "archive tensors are f32: " << name);
  entries_.push_back({name, kTensorF32, tensor.dims(), {}, tensor});
}

std::vector<ByteView> ArchiveWriter::pieces(const std::string& magic, uint32_t version,
                                            std::vector<std::string>& headers) const {
  FERRY_CHECK(magic.size() == kMagicSize, InternalError, "archive magic must have 8 bytes");
  static const char kZeros[kTensorAlignment] = {};
  const auto header_of = [](const std::string& name, uint8_t kind, const Dims& dims, uint64_t size) {
    std::string h;
    put<uint32_t>(h, static_cast<uint32_t>(name.size()));
    h += name;
    put<uint8_t>(h, kind);
    put<uint32_t>(h, static_cast<uint32_t>(dims.size()));
    for (int64_t d : dims) put<int64_t>(h, d);
    put<uint64_t>(h, size);
    return h;
  };
  // Entry headers and values in file order, padding entries included.
  std::vector<std::pair<std::string, ByteView>> entries;
  size_t offset = kMagicSize + sizeof(uint32_t) + sizeof(uint64_t);
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const ByteView value = e.kind == kBlob ? ByteView{e.blob.data(), e.blob.size()}
                                           : ByteView{e.tensor.raw(), static_cast<size_t>(e.tensor.bytes())};
    std::string header = header_of(e.name, e.kind, e.dims, value.size);
    if (e.kind == kTensorF32 && (offset + header.size()) % kTensorAlignment != 0) {
      const std::string name = kPaddingPrefix + std::to_string(i);
      const size_t fixed = header_of(name, kBlob, {}, 0).size() + header.size();
      const size_t padding = (kTensorAlignment - (offset + fixed) % kTensorAlignment) % kTensorAlignment;
      entries.emplace_back(header_of(name, kBlob, {}, padding), ByteView{kZeros, padding});
      offset += fixed - header.size() + padding;
    }
    offset += header.size() + value.size;
    entries.emplace_back(std::move(header), value);
  }
  // Sized once: views into the headers stay valid.
  headers.assign(entries.size() + 2, "");
  headers[0] = magic;
  put<uint32_t>(headers[0], version);
  put<uint64_t>(headers[0], entries.size());
  std::vector<ByteView> out{{headers[0].data(), headers[0].size()}};
  for (size_t i = 0; i < entries.size(); ++i) {
    headers[i + 1] = std::move(entries[i].first);
    out.push_back({headers[i + 1].data(), headers[i + 1].size()});
    out.push_back(entries[i].second);
  }
  uint32_t crc = 0;
  for (const ByteView& piece : out) crc = crc32_of(piece.data, piece.size, crc);
  put<uint32_t>(headers.back(), crc);
  out.push_back({headers.back().data(), headers.back().size()});
  return out;
}

std::string ArchiveWriter::serialize(const std::string& magic, uint32_t version) const {
  std::vector<std::string> headers;
  std::string out;
  for (const ByteView& piece : pieces(magic, version, headers))
    out.append(static_cast<const char*>(piece.data), piece.size);
  return out;
}

void ArchiveWriter::write(const std::string& path, const std::string& magic, uint32_t version) const {
  std::vector<std::string> headers;
  write_file_atomic(path, pieces(magic, version, headers));
}

Archive Archive::read(const std::string& path, const std::string& magic, uint32_t version) {
  const std::string origin = "'" + path + "'";
  try {
    // A regular file is mapped: its bytes are read once, by the checksum, with no copy of the whole file.
    // Files are replaced by renaming, never rewritten in place, so the mapped bytes stay as they were.
    if (file_exists(path)) {
      std::shared_ptr<const MappedFile> file = MappedFile::open(path, MappedFile::Mode::kCopyOnWrite);
      const std::string_view bytes(file->data(), file->size());
      Archive archive = from_bytes(std::move(file), bytes, origin, magic, version);
      archive.copy_on_write_ = true;
      return archive;
    }
    return parse(read_file(path), origin, magic, version);  // a pipe, or the error a folder or no file gets
  } catch (const InputError& e) {
    throw ModelFileError(e.what());
  }
}

Archive Archive::parse(std::string bytes, const std::string& origin, const std::string& magic, uint32_t version) {
  auto owner = std::make_shared<const std::string>(std::move(bytes));
  const std::string_view view(*owner);
  return from_bytes(std::move(owner), view, origin, magic, version);
}

Archive Archive::from_bytes(std::shared_ptr<const void> owner, std::string_view bytes, const std::string& origin,
                            const std::string& magic, uint32_t version) {
  const size_t header = kMagicSize + sizeof(uint32_t);
  // A file cut inside the magic number is truncated, not of another kind.
  const size_t magic_bytes = std::min(bytes.size(), kMagicSize);
  if (bytes.compare(0, magic_bytes, magic, 0, magic_bytes) != 0) {
    FERRY_THROW(ModelFileError, origin << " is not a " << magic.substr(0, magic.find_last_not_of(' ') + 1)
                                       << " file (wrong magic number)");
  }
  if (bytes.size() >= header) {
    uint32_t found_version;
    std::memcpy(&found_version, bytes.data() + kMagicSize, sizeof found_version);
    if (found_version != version) {
      FERRY_THROW(ModelFileError, origin << " has format version " << found_version
                                         << "; this build reads version " << version);
    }
  }
  if (bytes.size() < header + sizeof(uint64_t) + sizeof(uint32_t))
    FERRY_THROW(ModelFileError, origin << " is truncated (" << bytes.size() << " bytes)");
  const size_t body_end = bytes.size() - sizeof(uint32_t);
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + body_end, sizeof stored_crc);
  if (checksum(bytes.data(), body_end) != stored_crc)
    FERRY_THROW(ModelFileError, origin << " is damaged or truncated (checksum mismatch)");

  Archive archive;
  archive.origin_ = origin;
  Cursor cursor(bytes, body_end, origin);
  const auto count = cursor.get<uint64_t>();
  for (uint64_t i = 0; i < count; ++i) {
    const std::string name = cursor.get_bytes(cursor.get<uint32_t>());
    Entry e;
    e.kind = cursor.get<uint8_t>();
    const auto rank = cursor.get<uint32_t>();
    if (rank > 16) FERRY_THROW(ModelFileError, origin << " is malformed: entry '" << name << "' has rank " << rank);
    int64_t elements = 1;
    for (uint32_t r = 0; r < rank; ++r) {
      e.dims.push_back(cursor.get<int64_t>());
      if (e.dims.back() < 0) FERRY_THROW(ModelFileError, origin << " is malformed: negative dimension in '" << name << "'");
      // No tensor this large fits in a file: a product past 2^62 elements is a damaged table, not a size.
      if (e.dims.back() > 0 && elements > (int64_t{1} << 62) / e.dims.back())
        FERRY_THROW(ModelFileError, origin << " is malformed: entry '" << name << "' has impossible dimensions");
      elements *= e.dims.back();
    }
    e.size = cursor.get<uint64_t>();
    e.offset = cursor.skip(e.size);
    if (e.kind != kBlob && e.kind != kTensorF32)
      FERRY_THROW(ModelFileError, origin << " is malformed: entry '" << name << "' has unknown kind");
    if (e.kind == kTensorF32 && static_cast<uint64_t>(elements) * 4 != e.size)
      FERRY_THROW(ModelFileError, origin << " is malformed: tensor '" << name << "' size does not match its dims");
    archive.entries_[name] = std::move(e);
  }
  if (!cursor.done()) FERRY_THROW(ModelFileError, origin << " is malformed: bytes after the last entry");
  archive.owner_ = std::move(owner);
  archive.bytes_ = bytes.data();
  return archive;
}

const Archive::Entry& Archive::entry(const std::string& name, uint8_t kind) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) FERRY_THROW(ModelFileError, origin_ << " has no entry '" << name << "'");
  if (it->second.kind != kind)
    FERRY_THROW(ModelFileError, origin_ << ": entry '" << name << "' is not a " << (kind == kBlob ? "blob" : "tensor"));
  return it->second;
}

std::string Archive::blob(const std::string& name) const {
  const Entry& e = entry(name, kBlob);
  return std::string(data(e), e.size);
}

Tensor Archive::tensor(const std::string& name) const {
  const Entry& e = entry(name, kTensorF32);
  Tensor t(e.dims);
  copy_bytes(t.raw(), data(e), e.size);
  return t;
}

const Archive::Entry& Archive::tensor_entry(const std::string& name, const Dims& dims) const {
  const Entry& e = entry(name, kTensorF32);
  if (e.dims != dims) {
    FERRY_THROW(ModelFileError, origin_ << ": tensor '" << name << "' has dims " << dims_text(e.dims)
                                        << ", expected " << dims_text(dims));
  }
  return e;
}

void Archive::load_into(const std::string& name, Tensor& into) const {
  const Entry& e = tensor_entry(name, into.dims());
  copy_bytes(into.raw(), data(e), e.size);
}

Tensor Archive::view(const std::string& name, const Dims& dims) const {
  const Entry& e = tensor_entry(name, dims);
  if (!copy_on_write_ || (reinterpret_cast<uintptr_t>(data(e)) % kTensorAlignment) != 0) return tensor(name);
  return Tensor::view(owner_, const_cast<char*>(data(e)), e.dims);
}

std::vector<std::string> Archive::names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : entries_) {
    if (name.rfind(kPaddingPrefix, 0) != 0) out.push_back(name);
  }
  return out;
}

}  // namespace ferry
