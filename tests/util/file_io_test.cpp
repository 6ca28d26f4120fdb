#include "util/file_io.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/temp_dir.h"
#include "util/error.h"
#include "util/mapped_file.h"

namespace ferry {
namespace {

std::vector<std::string> read_all(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> lines;
  for (std::string line; reader.next(line);) lines.push_back(line);
  return lines;
}

TEST(LineReader, PlainFileWithAndWithoutFinalNewline) {
  TempDir dir;
  dir.write("a.txt", "one\n\nthree\r\nfour");
  EXPECT_EQ(read_all(dir.path("a.txt")), (std::vector<std::string>{"one", "", "three\r", "four"}));
  dir.write("b.txt", "x\n");
  EXPECT_EQ(read_all(dir.path("b.txt")), (std::vector<std::string>{"x"}));
  dir.write("empty.txt", "");
  EXPECT_TRUE(read_all(dir.path("empty.txt")).empty());
}

TEST(LineReader, GzipFileAndLongLinesAndNulBytes) {
  TempDir dir;
  std::string long_line(200000, 'x');
  const std::string with_nul("nul\0byte", 8);
  const std::string content = "eins\n" + long_line + "\n" + with_nul + "\n";
  gzFile out = gzopen(dir.path("c.gz").c_str(), "wb");
  gzwrite(out, content.data(), static_cast<unsigned>(content.size()));
  gzclose(out);
  auto lines = read_all(dir.path("c.gz"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "eins");
  EXPECT_EQ(lines[1], long_line);
  EXPECT_EQ(lines[2], with_nul);
}

TEST(LineReader, MissingFileIsADataError) {
  try {
    LineReader reader("/nonexistent/file.txt");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open '/nonexistent/file.txt'"), std::string::npos);
  }
}

TEST(LineReader, CorruptGzipIsADataError) {
  TempDir dir;
  std::string content(5000, 'a');
  gzFile out = gzopen(dir.path("d.gz").c_str(), "wb");
  for (int i = 0; i < 100; ++i) gzwrite(out, content.data(), static_cast<unsigned>(content.size()));
  gzclose(out);
  std::string bytes = read_file(dir.path("d.gz"));
  for (size_t i = 20; i < bytes.size() - 10; i += 7) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  dir.write("d.gz", bytes);
  try {
    read_all(dir.path("d.gz"));
    FAIL() << "a damaged gzip file was read";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'" + dir.path("d.gz") + "' is a truncated or damaged gzip file"),
              std::string::npos)
        << e.what();
  }
}

TEST(LineReader, TruncatedGzipIsADataError) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  gzFile out = gzopen(dir.path("whole.gz").c_str(), "wb");
  gzwrite(out, content.data(), static_cast<unsigned>(content.size()));
  gzclose(out);
  const std::string bytes = read_file(dir.path("whole.gz"));
  ASSERT_EQ(read_all(dir.path("whole.gz")).size(), 20000u);
  // Cut in the middle of the compressed data, and cut only the trailer (CRC and length).
  for (const size_t length : {bytes.size() / 2, bytes.size() - 4}) {
    const std::string path = dir.write("cut.gz", bytes.substr(0, length));
    try {
      read_all(path);
      FAIL() << "a gzip file cut to " << length << " of " << bytes.size() << " bytes was read";
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + path + "' is a truncated or damaged gzip file (after line "),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(AtomicWrite, ReplacesContentAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.path("f.bin");
  write_file_atomic(path, "first");
  EXPECT_EQ(read_file(path), "first");
  write_file_atomic(path, std::string("second\0x", 8));
  EXPECT_EQ(read_file(path), std::string("second\0x", 8));
  EXPECT_EQ(dir.list(), std::vector<std::string>{"f.bin"});
}

// Every byte, whether the size is known beforehand (a file, read in one piece) or not (a pipe, read in
// pieces); sizes around the 64 KiB piece.
TEST(ReadFile, EveryByteOfAFileAndOfAPipe) {
  TempDir dir;
  for (const size_t size : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{300001}}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i * 7 + i / 251);
    write_file_atomic(dir.path("f.bin"), bytes);
    EXPECT_EQ(read_file(dir.path("f.bin")), bytes) << size << " bytes";

    const std::string fifo = dir.path("f.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
    EXPECT_EQ(read_file(fifo), bytes) << size << " bytes through a pipe";
    writer.join();
    std::filesystem::remove(fifo);
  }
}

TEST(AtomicWrite, UnwritableFolderIsAnError) {
  EXPECT_THROW(write_file_atomic("/nonexistent/folder/f.bin", "x"), InputError);
}

TEST(CreateFolders, MakesParentsAndNamesAPathThatCannotBeAFolder) {
  TempDir dir;
  create_folders(dir.path("a/b/c"));
  create_folders(dir.path("a/b/c"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path("a/b/c")));
  dir.write("file", "x");
  for (const std::string& path : {dir.path("file"), dir.path("file/run")}) {
    try {
      create_folders(path);
      FAIL() << path << " was accepted as a folder";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot create the folder '" + path + "': "), std::string::npos)
          << e.what();
    }
  }
}

// The id of a process that has ended.
int ended_process_id() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return static_cast<int>(child);
}

TEST(AtomicWrite, StaleTemporariesOfEndedProcessesAreRemoved) {
  TempDir dir;
  const std::string path = dir.path("model.bin");
  write_file_atomic(path, "kept");
  const std::string stale = dir.write("model.bin.tmp." + std::to_string(ended_process_id()), "half");
  const std::string live = "model.bin.tmp." + std::to_string(::getppid());
  const std::string other = "other.bin.tmp." + std::to_string(ended_process_id());
  dir.write(live, "being written by a live process");
  dir.write("model.bin.tmp.notapid", "x");
  dir.write(other, "another file's");
  EXPECT_EQ(remove_stale_temporaries(path), std::vector<std::string>{stale});
  EXPECT_EQ(dir.list(), (std::vector<std::string>{"model.bin", live, "model.bin.tmp.notapid", other}));
  EXPECT_EQ(read_file(path), "kept");
  EXPECT_TRUE(remove_stale_temporaries(dir.path("missing/model.bin")).empty());
}

TEST(Crc32, KnownValueAndChaining) {
  const std::string text = "123456789";
  EXPECT_EQ(crc32_of(text.data(), text.size()), 0xCBF43926u);
  const uint32_t first = crc32_of(text.data(), 4);
  EXPECT_EQ(crc32_of(text.data() + 4, 5, first), 0xCBF43926u);
  EXPECT_EQ(crc32_joined(first, crc32_of(text.data() + 4, 5), 5), 0xCBF43926u);
  EXPECT_EQ(crc32_joined(first, 0, 0), first);  // nothing joined on
}

TEST(MappedFile, GivesTheFilesBytesAndNamesWhatCannotBeMapped) {
  const TempDir dir;
  const std::string content = std::string("ab\0cd", 5) + std::string(10000, 'x');
  const auto file = MappedFile::open(dir.write("f.bin", content));
  EXPECT_EQ(std::string(file->data(), file->size()), content);
  EXPECT_EQ(file->path(), dir.path("f.bin"));
  EXPECT_EQ(MappedFile::open(dir.write("empty", ""))->size(), 0u);
  try {
    MappedFile::open(dir.path("missing"));
    ADD_FAILURE() << "a missing file was mapped";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open '" + dir.path("missing") + "'"), std::string::npos) << e.what();
  }
  try {
    MappedFile::open(dir.root());
    ADD_FAILURE() << "a folder was mapped";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + dir.root() + "' is not a regular file");
  }
}

}  // namespace
}  // namespace ferry
