#include "core/archive.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

#include "support/numeric.h"
#include "support/temp_dir.h"
#include "support/thread_count.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

const char* kMagic = "FERRYTST";

std::string sample_bytes() {
  ArchiveWriter w;
  w.add_blob("config", "model:\n  x: 1\n");
  w.add_tensor("encoder/w", random_tensor({3, 4}, 1));
  w.add_tensor("scalar", random_tensor({}, 2));
  w.add_blob("empty", "");
  return w.serialize(kMagic, 3);
}

std::string parse_error(const std::string& bytes, uint32_t version = 3) {
  try {
    Archive::parse(bytes, "'m.bin'", kMagic, version);
  } catch (const ModelFileError& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "";
}

TEST(Archive, RoundTrip) {
  TempDir dir;
  ArchiveWriter w;
  const Tensor t = random_tensor({3, 4}, 1);
  w.add_blob("config", "model:\n  x: 1\n");
  w.add_tensor("encoder/w", t);
  w.write(dir.path("m.bin"), kMagic, 3);
  const Archive a = Archive::read(dir.path("m.bin"), kMagic, 3);
  EXPECT_EQ(a.blob("config"), "model:\n  x: 1\n");
  EXPECT_TRUE(all_close(a.tensor("encoder/w"), t, 0, 0));
  Tensor into({3, 4});
  a.load_into("encoder/w", into);
  EXPECT_TRUE(all_close(into, t, 0, 0));
  EXPECT_EQ(a.names(), (std::vector<std::string>{"config", "encoder/w"}));
  EXPECT_EQ(parse_error(sample_bytes()), "");
}

TEST(Archive, EveryTruncationIsRefused) {
  const std::string bytes = sample_bytes();
  for (size_t length = 0; length < bytes.size(); ++length) {
    const std::string message = parse_error(bytes.substr(0, length));
    ASSERT_FALSE(message.empty()) << "truncated to " << length << " bytes was accepted";
  }
}

TEST(Archive, EveryFlippedByteIsRefused) {
  const std::string bytes = sample_bytes();
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    ASSERT_FALSE(parse_error(damaged).empty()) << "flipped byte " << at << " was accepted";
  }
  std::string damaged = bytes;
  damaged[bytes.size() / 2] ^= 1;
  EXPECT_EQ(parse_error(damaged), "'m.bin' is damaged or truncated (checksum mismatch)");
}

// Files past a megabyte are checked and copied in pieces, by threads: the pieces' checksums joined must be
// the writer's, a flipped bit in any piece is refused, and a large tensor comes back whole.
TEST(Archive, LargeFileIsCheckedAndCopiedInPieces) {
  const Tensor large = random_tensor({3, 1 << 18}, 4);  // 3 MiB
  ArchiveWriter w;
  w.add_blob("config", "model:\n  x: 1\n");
  w.add_tensor("large", large);
  const std::string bytes = w.serialize(kMagic, 3);
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    const Archive a = with_threads(threads, [&] { return Archive::parse(bytes, "'m.bin'", kMagic, 3); });
    EXPECT_TRUE(all_close(a.tensor("large"), large, 0, 0));
    Tensor into(large.dims());
    with_threads(threads, [&] {
      a.load_into("large", into);
      return 0;
    });
    EXPECT_TRUE(all_close(into, large, 0, 0));
  }
  for (size_t at : {size_t{100}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 100}) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    EXPECT_EQ(parse_error(damaged), "'m.bin' is damaged or truncated (checksum mismatch)") << "flipped byte " << at;
  }
}

TEST(Archive, WrongMagicVersionAndMissingFile) {
  EXPECT_EQ(parse_error("hello world, not an archive"), "'m.bin' is not a FERRYTST file (wrong magic number)");
  EXPECT_EQ(parse_error(sample_bytes(), 4), "'m.bin' has format version 3; this build reads version 4");
  EXPECT_THROW(Archive::read("/nonexistent/m.bin", kMagic, 3), ModelFileError);
}

TEST(Archive, FileShorterThanItsHeaderIsTruncated) {
  const std::string bytes = sample_bytes();
  EXPECT_EQ(parse_error(""), "'m.bin' is truncated (0 bytes)");
  EXPECT_EQ(parse_error(bytes.substr(0, 5)), "'m.bin' is truncated (5 bytes)");
  EXPECT_EQ(parse_error(bytes.substr(0, 10)), "'m.bin' is truncated (10 bytes)");
  EXPECT_EQ(parse_error(bytes.substr(0, 14)), "'m.bin' is truncated (14 bytes)");
  EXPECT_EQ(parse_error("FERRYXYZ"), "'m.bin' is not a FERRYTST file (wrong magic number)");
  EXPECT_EQ(parse_error("hello"), "'m.bin' is not a FERRYTST file (wrong magic number)");
}

// A regular file is mapped rather than read: the same checks, with the file named, and the bytes stay valid
// after the file is replaced.
TEST(Archive, MappedFileIsCheckedAndOutlivesItsReplacement) {
  TempDir dir;
  const std::string bytes = sample_bytes();
  const auto read_error = [&](const std::string& content) {
    write_file_atomic(dir.path("m.bin"), content);
    try {
      Archive::read(dir.path("m.bin"), kMagic, 3);
    } catch (const ModelFileError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string named = "'" + dir.path("m.bin") + "'";
  EXPECT_EQ(read_error(""), named + " is truncated (0 bytes)");
  EXPECT_EQ(read_error(bytes.substr(0, bytes.size() - 1)), named + " is damaged or truncated (checksum mismatch)");
  EXPECT_EQ(read_error(bytes), "");

  const Archive a = Archive::read(dir.path("m.bin"), kMagic, 3);
  ArchiveWriter other;
  other.add_blob("config", "other");
  other.write(dir.path("m.bin"), kMagic, 3);
  EXPECT_EQ(a.blob("config"), "model:\n  x: 1\n");
  EXPECT_TRUE(all_close(a.tensor("encoder/w"), random_tensor({3, 4}, 1), 0, 0));
}

// What is not a regular file (a pipe here) is read as before.
TEST(Archive, PipeIsRead) {
  TempDir dir;
  const std::string fifo = dir.path("m.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << sample_bytes(); });
  const Archive a = Archive::read(fifo, kMagic, 3);
  writer.join();
  EXPECT_EQ(a.blob("config"), "model:\n  x: 1\n");
  EXPECT_EQ(a.names(), (std::vector<std::string>{"config", "empty", "encoder/w", "scalar"}));
}

// The bytes of one archive that holds a blob and then a tensor, the way files were written before tensors were
// aligned: no padding, so the tensor's bytes start at an offset of 72 into the file, 8 past a multiple of 64.
std::string unpadded_bytes(const Tensor& tensor) {
  std::string out = kMagic;
  const auto put = [&out](const auto& value) { out.append(reinterpret_cast<const char*>(&value), sizeof value); };
  put(uint32_t{3});
  put(uint64_t{2});
  const auto header = [&](const std::string& name, uint8_t kind, const Dims& dims, uint64_t size) {
    put(static_cast<uint32_t>(name.size()));
    out += name;
    put(kind);
    put(static_cast<uint32_t>(dims.size()));
    for (int64_t d : dims) put(d);
    put(size);
  };
  header("c", 0, {}, 0);
  header("t", 1, tensor.dims(), tensor.bytes());
  out.append(static_cast<const char*>(tensor.raw()), tensor.bytes());
  put(crc32_of(out.data(), out.size()));
  return out;
}

// Each tensor a writer stores starts 64-byte aligned in the file, behind padding entries that names() leaves
// out. A view of a mapped file's tensor is those very bytes (aligned; a write to it changes neither the file
// nor a fresh read of it); a view of unaligned bytes, or of bytes not mapped, is a copy of them.
TEST(Archive, TensorsAreAlignedAndViewedWhereTheyLie) {
  TempDir dir;
  ArchiveWriter w;
  const Tensor first = random_tensor({3, 5}, 5), second = random_tensor({7}, 6);
  w.add_blob("c", "x");
  w.add_tensor("first", first);
  w.add_tensor("second/with/a/longer/name", second);
  w.write(dir.path("m.bin"), kMagic, 3);
  {
    const Archive a = Archive::read(dir.path("m.bin"), kMagic, 3);
    EXPECT_EQ(a.names(), (std::vector<std::string>{"c", "first", "second/with/a/longer/name"}));
    Tensor view = a.view("first", {3, 5});
    EXPECT_EQ(reinterpret_cast<uintptr_t>(view.raw()) % 64, 0u);
    EXPECT_TRUE(all_close(view, first, 0, 0));
    const Tensor other = a.view("second/with/a/longer/name", {7});
    EXPECT_EQ(reinterpret_cast<uintptr_t>(other.raw()) % 64, 0u);
    EXPECT_TRUE(all_close(other, second, 0, 0));
    EXPECT_THROW(a.view("first", {5, 3}), ModelFileError);
    view.fill(7.0f);
    EXPECT_TRUE(all_close(a.tensor("first"), view, 0, 0)) << "a view is the archive's own bytes";
  }
  const Archive again = Archive::read(dir.path("m.bin"), kMagic, 3);
  EXPECT_TRUE(all_close(again.tensor("first"), first, 0, 0)) << "a write to a view reached the file";

  const Archive parsed = Archive::parse(read_file(dir.path("m.bin")), "'m.bin'", kMagic, 3);
  Tensor copy = parsed.view("first", {3, 5});
  copy.fill(7.0f);
  EXPECT_TRUE(all_close(parsed.tensor("first"), first, 0, 0)) << "a view of parsed bytes is a copy";

  const Tensor unaligned = random_tensor({2, 3}, 7);
  write_file_atomic(dir.path("old.bin"), unpadded_bytes(unaligned));
  const Archive old = Archive::read(dir.path("old.bin"), kMagic, 3);
  EXPECT_EQ(old.names(), (std::vector<std::string>{"c", "t"}));
  Tensor old_view = old.view("t", {2, 3});
  EXPECT_EQ(reinterpret_cast<uintptr_t>(old_view.raw()) % 64, 0u) << "the copy is aligned";
  EXPECT_TRUE(all_close(old_view, unaligned, 0, 0));

  ArchiveWriter clashing;
  EXPECT_THROW(clashing.add_blob(kPaddingPrefix + "0", "x"), InternalError);
  EXPECT_THROW(clashing.add_tensor(kPaddingPrefix + "t", first), InternalError);
}

TEST(Archive, MissingEntriesAndWrongDims) {
  const Archive a = Archive::parse(sample_bytes(), "'m.bin'", kMagic, 3);
  EXPECT_THROW(a.blob("nope"), ModelFileError);
  EXPECT_THROW(a.tensor("config"), ModelFileError);
  Tensor wrong({4, 3});
  try {
    a.load_into("encoder/w", wrong);
    FAIL();
  } catch (const ModelFileError& e) {
    EXPECT_EQ(std::string(e.what()), "'m.bin': tensor 'encoder/w' has dims [3, 4], expected [4, 3]");
  }
}

}  // namespace
}  // namespace ferry
