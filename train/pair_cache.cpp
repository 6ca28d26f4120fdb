#include "train/pair_cache.h"

#include <cstddef>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "util/error.h"
#include "util/file_io.h"
#include "util/log.h"
#include "util/mapped_file.h"
#include "util/round_up.h"

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

// The file: a fixed header, the key and counts as text, then arrays laid out to be used where they lie in the
// mapped file: each side's offsets (uint64, pairs + 1) and each pair's CRC-32 (uint32), then each side's ids
// (int32). The header's CRC covers everything from the counts up to the ids; the ids are covered pair by pair.
struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t meta_crc;  // of bytes [offsetof(pairs), ids_begin)
  uint64_t pairs;
  uint64_t src_ids;
  uint64_t tgt_ids;
  uint64_t text_size;
};
static_assert(sizeof(FileHeader) == 48, "no padding in the header");
static_assert(sizeof(int) == sizeof(int32_t), "token ids are 32-bit");
constexpr size_t kMetaStart = offsetof(FileHeader, pairs);

// Where each array starts, from the header's counts (which a reader first bounds by the file's size, so that
// nothing here overflows).
struct Layout {
  size_t src_offsets, tgt_offsets, src_checksums, tgt_checksums, ids_begin, src_ids, tgt_ids, end;
};
Layout layout_of(const FileHeader& h) {
  Layout at{};
  at.src_offsets = round_up<size_t>(sizeof(FileHeader) + h.text_size, 8);
  at.tgt_offsets = at.src_offsets + (h.pairs + 1) * sizeof(uint64_t);
  at.src_checksums = at.tgt_offsets + (h.pairs + 1) * sizeof(uint64_t);
  at.tgt_checksums = at.src_checksums + h.pairs * sizeof(uint32_t);
  at.ids_begin = round_up<size_t>(at.tgt_checksums + h.pairs * sizeof(uint32_t), 64);
  at.src_ids = at.ids_begin;
  at.tgt_ids = at.src_ids + h.src_ids * sizeof(int32_t);
  at.end = at.tgt_ids + h.tgt_ids * sizeof(int32_t);
  return at;
}

// Offsets that start at 0, never fall and end at `ids`.
bool offsets_valid(const uint64_t* offsets, uint64_t pairs, uint64_t ids) {
  if (offsets[0] != 0 || offsets[pairs] != ids) return false;
  for (uint64_t i = 0; i < pairs; ++i)
    if (offsets[i + 1] < offsets[i]) return false;
  return true;
}

std::vector<uint32_t> checksums_of(const TokenSequences& side) {
  std::vector<uint32_t> out(side.size());
  for (size_t i = 0; i < side.size(); ++i) out[i] = side.checksum(i);
  return out;
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

std::optional<CachedPairs> read_pair_cache(const std::string& path, const std::string& key, PairCacheCheck check) {
  if (!file_exists(path)) return std::nullopt;
  try {
    const std::shared_ptr<const MappedFile> file = MappedFile::open(path);
    const auto damaged = [&](const std::string& what) {
      FERRY_THROW(ModelFileError, path << " is damaged: " << what);
    };
    FileHeader header{};
    if (file->size() < sizeof header) damaged("truncated (" + std::to_string(file->size()) + " bytes)");
    std::memcpy(&header, file->data(), sizeof header);
    if (std::memcmp(header.magic, kPairCacheMagic, sizeof header.magic) != 0) damaged("not a pair cache");
    if (header.version != kPairCacheFormatVersion) return std::nullopt;  // an older format: encoded again
    const uint64_t size = file->size();
    if (header.text_size > size || header.pairs > size || header.src_ids > size || header.tgt_ids > size ||
        layout_of(header).end != size)
      damaged("its counts do not match its size");
    const Layout at = layout_of(header);
    if (crc32_of(file->data() + kMetaStart, at.ids_begin - kMetaStart) != header.meta_crc)
      damaged("its checksum does not match");
    const std::string text(file->data() + sizeof header, header.text_size);
    const size_t key_end = text.find('\n');
    if (key_end == std::string::npos || text.substr(0, key_end) != key) return std::nullopt;  // stale

    CachedPairs cached;
    std::istringstream stats(text.substr(key_end + 1));
    stats >> cached.stats.lines >> cached.stats.empty_pairs >> cached.stats.invalid_utf8 >>
        cached.stats.control_chars >> cached.corpus.too_long;
    if (stats.fail()) damaged("unreadable counts");
    const auto array = [&](size_t offset) { return file->data() + offset; };
    const auto* src_offsets = reinterpret_cast<const uint64_t*>(array(at.src_offsets));
    const auto* tgt_offsets = reinterpret_cast<const uint64_t*>(array(at.tgt_offsets));
    if (!offsets_valid(src_offsets, header.pairs, header.src_ids) ||
        !offsets_valid(tgt_offsets, header.pairs, header.tgt_ids))
      damaged("its offsets do not match its ids");
    cached.corpus.src = TokenSequences::borrowed(file, header.pairs, src_offsets,
                                                 reinterpret_cast<const int*>(array(at.src_ids)),
                                                 reinterpret_cast<const uint32_t*>(array(at.src_checksums)), path);
    cached.corpus.tgt = TokenSequences::borrowed(file, header.pairs, tgt_offsets,
                                                 reinterpret_cast<const int*>(array(at.tgt_ids)),
                                                 reinterpret_cast<const uint32_t*>(array(at.tgt_checksums)), path);
    if (check == PairCacheCheck::kWhole) {
      for (size_t i = 0; i < header.pairs; ++i) {
        cached.corpus.src.checked(i);
        cached.corpus.tgt.checked(i);
      }
    }
    return cached;
  } catch (const InputError& e) {
    log_warning() << "the training pair cache is not usable, encoding the corpus again: " << e.what();
    return std::nullopt;
  }
}

void write_pair_cache(const std::string& path, const std::string& key, const EncodedCorpus& corpus,
                      const CorpusStats& stats) {
  try {
    FileHeader header{};
    std::memcpy(header.magic, kPairCacheMagic, sizeof header.magic);
    header.version = kPairCacheFormatVersion;
    header.pairs = corpus.size();
    header.src_ids = corpus.src.total_ids();
    header.tgt_ids = corpus.tgt.total_ids();
    const std::string text = key + "\n" + stats_text(corpus, stats);
    header.text_size = text.size();
    const Layout at = layout_of(header);
    const std::vector<uint32_t> src_checksums = checksums_of(corpus.src), tgt_checksums = checksums_of(corpus.tgt);
    const std::string zeros(64, '\0');
    const auto padding = [&](size_t from, size_t to) { return ByteView{zeros.data(), to - from}; };
    const size_t text_end = sizeof header + text.size();
    const std::vector<ByteView> meta = {
        {text.data(), text.size()},
        padding(text_end, at.src_offsets),
        {corpus.src.offsets(), (header.pairs + 1) * sizeof(uint64_t)},
        {corpus.tgt.offsets(), (header.pairs + 1) * sizeof(uint64_t)},
        {src_checksums.data(), src_checksums.size() * sizeof(uint32_t)},
        {tgt_checksums.data(), tgt_checksums.size() * sizeof(uint32_t)},
        padding(at.tgt_checksums + tgt_checksums.size() * sizeof(uint32_t), at.ids_begin)};
    uint32_t crc = crc32_of(reinterpret_cast<const char*>(&header) + kMetaStart, sizeof header - kMetaStart);
    for (const ByteView& piece : meta) crc = crc32_of(piece.data, piece.size, crc);
    header.meta_crc = crc;
    std::vector<ByteView> pieces = {{&header, sizeof header}};
    pieces.insert(pieces.end(), meta.begin(), meta.end());
    pieces.push_back({corpus.src.ids(), header.src_ids * sizeof(int32_t)});
    pieces.push_back({corpus.tgt.ids(), header.tgt_ids * sizeof(int32_t)});
    write_file_atomic(path, pieces);
  } catch (const Error& e) {
    log_warning() << "could not write the training pair cache " << path << ": " << e.what();
  }
}

}  // namespace ferry
