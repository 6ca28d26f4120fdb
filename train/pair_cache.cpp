#include "train/pair_cache.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/archive.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"

namespace ferry {
namespace {

// "crc size" of a file's bytes, read in blocks.
std::string file_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  FERRY_CHECK(in.good(), DataError, "cannot read '" << path << "'");
  std::vector<char> block(1 << 20);
  uint32_t crc = 0;
  uint64_t size = 0;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<size_t>(in.gcount());
    crc = crc32_of(block.data(), got, crc);
    size += got;
  }
  FERRY_CHECK(!in.bad(), DataError, "reading '" << path << "' failed");
  std::ostringstream out;
  out << std::hex << crc << std::dec << " " << size;
  return out.str();
}

std::string vocab_checksum(const SubwordModel& vocab) {
  std::ostringstream out;
  out << std::hex << crc32_of(vocab.serialized().data(), vocab.serialized().size());
  return out.str();
}

// The ids of one side: every pair's length, then all ids, as int32 values.
void add_side(ArchiveWriter& writer, const std::string& name, const std::vector<TokenIds>& side) {
  std::vector<int32_t> lengths;
  lengths.reserve(side.size());
  size_t total = 0;
  for (const TokenIds& ids : side) {
    lengths.push_back(static_cast<int32_t>(ids.size()));
    total += ids.size();
  }
  std::string ids_bytes(total * sizeof(int32_t), '\0');
  char* at = ids_bytes.data();
  for (const TokenIds& ids : side) {
    static_assert(sizeof(int) == sizeof(int32_t), "token ids are 32-bit");
    if (ids.empty()) continue;  // no data() to copy from
    std::memcpy(at, ids.data(), ids.size() * sizeof(int32_t));
    at += ids.size() * sizeof(int32_t);
  }
  writer.add_blob(name + "/lengths", lengths.empty() ? std::string()
                                                     : std::string(reinterpret_cast<const char*>(lengths.data()),
                                                                   lengths.size() * sizeof(int32_t)));
  writer.add_blob(name + "/ids", ids_bytes);
}

std::vector<TokenIds> read_side(const Archive& archive, const std::string& name) {
  const std::string lengths = archive.blob(name + "/lengths");
  const std::string ids = archive.blob(name + "/ids");
  FERRY_CHECK(lengths.size() % sizeof(int32_t) == 0 && ids.size() % sizeof(int32_t) == 0, ModelFileError,
              archive.origin() << ": " << name << " is not a whole number of ids");
  const size_t pairs = lengths.size() / sizeof(int32_t);
  std::vector<TokenIds> side(pairs);
  size_t at = 0;
  for (size_t i = 0; i < pairs; ++i) {
    int32_t length = 0;
    std::memcpy(&length, lengths.data() + i * sizeof(int32_t), sizeof length);
    FERRY_CHECK(length >= 0 && at + static_cast<size_t>(length) * sizeof(int32_t) <= ids.size(), ModelFileError,
                archive.origin() << ": " << name << " lengths do not match its ids");
    if (length == 0) continue;
    side[i].resize(static_cast<size_t>(length));
    std::memcpy(side[i].data(), ids.data() + at, static_cast<size_t>(length) * sizeof(int32_t));
    at += static_cast<size_t>(length) * sizeof(int32_t);
  }
  FERRY_CHECK(at == ids.size(), ModelFileError, archive.origin() << ": " << name << " lengths do not match its ids");
  return side;
}

std::string stats_text(const EncodedCorpus& corpus, const CorpusStats& stats) {
  std::ostringstream out;
  out << stats.lines << " " << stats.empty_pairs << " " << stats.invalid_utf8 << " " << stats.control_chars << " "
      << corpus.too_long;
  return out.str();
}

}  // namespace

std::string pair_cache_path(const std::string& model_dir) { return model_dir + "/train-pairs.cache"; }

std::string pair_cache_key(const DataConfig& data, const SubwordModel& src_vocab, const SubwordModel& tgt_vocab) {
  std::ostringstream key;
  if (!data.train.text.empty()) {
    key << "text " << file_checksum(data.train.text);
  } else {
    key << "src " << file_checksum(data.train.src) << " tgt " << file_checksum(data.train.tgt);
  }
  key << " src_vocab " << vocab_checksum(src_vocab) << " tgt_vocab " << vocab_checksum(tgt_vocab)
      << " max_length " << data.max_length << " max_pairs " << data.max_pairs;
  return key.str();
}

std::optional<CachedPairs> read_pair_cache(const std::string& path, const std::string& key) {
  if (!file_exists(path)) return std::nullopt;
  try {
    const Archive archive = Archive::read(path, kPairCacheMagic, kPairCacheFormatVersion);
    if (archive.blob("key") != key) return std::nullopt;
    CachedPairs cached;
    cached.corpus.src = read_side(archive, "src");
    cached.corpus.tgt = read_side(archive, "tgt");
    FERRY_CHECK(cached.corpus.src.size() == cached.corpus.tgt.size(), ModelFileError,
                path << ": the two sides hold different numbers of pairs");
    std::istringstream stats(archive.blob("stats"));
    stats >> cached.stats.lines >> cached.stats.empty_pairs >> cached.stats.invalid_utf8 >>
        cached.stats.control_chars >> cached.corpus.too_long;
    FERRY_CHECK(!stats.fail(), ModelFileError, path << ": unreadable counts");
    return cached;
  } catch (const InputError& e) {
    log_warning() << "the training pair cache is not usable, encoding the corpus again: " << e.what();
    return std::nullopt;
  }
}

void write_pair_cache(const std::string& path, const std::string& key, const EncodedCorpus& corpus,
                      const CorpusStats& stats) {
  try {
    ArchiveWriter writer;
    writer.add_blob("key", key);
    writer.add_blob("stats", stats_text(corpus, stats));
    add_side(writer, "src", corpus.src);
    add_side(writer, "tgt", corpus.tgt);
    writer.write(path, kPairCacheMagic, kPairCacheFormatVersion);
  } catch (const Error& e) {
    log_warning() << "could not write the training pair cache " << path << ": " << e.what();
  }
}

}  // namespace ferry
