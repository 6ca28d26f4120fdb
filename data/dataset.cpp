#include "data/dataset.h"

#include <algorithm>
#include <cstdio>

#include "data/cached_encoding.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {

std::string EncodedCorpus::fingerprint() const {
  uint32_t crc = 0;
  for (size_t i = 0; i < size(); ++i) {
    for (const TokenSequences* side : {&src, &tgt}) {
      // The length first, so that ids cannot move between pairs or sides unnoticed. The ids' CRC is joined
      // on rather than computed, so that a side with stored checksums is not read.
      const auto length = static_cast<uint32_t>(side->length(i));
      crc = crc32_of(&length, sizeof length, crc);
      crc = crc32_joined(crc, side->checksum(i), length * sizeof(int));
    }
  }
  char text[16];
  std::snprintf(text, sizeof text, "%08x", crc);
  return text;
}

int64_t EncodedCorpus::target_tokens() const { return static_cast<int64_t>(tgt.total_ids() + tgt.size()); }

namespace {

// Encodes the pairs (src_lines[i], tgt_lines[i]), i < count, and appends those within max_length to `out`.
void append_encoded(const std::string* src_lines, const std::string* tgt_lines, size_t count,
                    CachedEncoder& src_encoder, CachedEncoder& tgt_encoder, int64_t max_length,
                    EncodedCorpus& out) {
  const std::vector<TokenIds> src = src_encoder.encode_all(src_lines, count);
  const std::vector<TokenIds> tgt = tgt_encoder.encode_all(tgt_lines, count);
  const auto limit = static_cast<size_t>(max_length);
  for (size_t i = 0; i < count; ++i) {
    if (max_length > 0 && (src[i].size() > limit || tgt[i].size() > limit)) {
      ++out.too_long;
      continue;
    }
    out.src.push_back(src[i]);
    out.tgt.push_back(tgt[i]);
  }
}

}  // namespace

EncodedCorpus encode_corpus(const ParallelCorpus& corpus, const SubwordModel& src_model,
                            const SubwordModel& tgt_model, int64_t max_length) {
  EncodedCorpus out;
  CachedEncoder src_encoder(src_model), tgt_encoder(tgt_model);
  for (size_t begin = 0; begin < corpus.size(); begin += kEncodeChunkPairs) {
    append_encoded(&corpus.src[begin], &corpus.tgt[begin], std::min(kEncodeChunkPairs, corpus.size() - begin),
                   src_encoder, tgt_encoder, max_length, out);
  }
  return out;
}

EncodedCorpus encode_corpus(CorpusReader& reader, const SubwordModel& src_model, const SubwordModel& tgt_model,
                            int64_t max_length, size_t chunk_pairs) {
  FERRY_CHECK(chunk_pairs > 0, InternalError, "encoding chunks of no pairs");
  EncodedCorpus out;
  CachedEncoder src_encoder(src_model), tgt_encoder(tgt_model);
  std::vector<std::string> src(chunk_pairs), tgt(chunk_pairs);
  for (;;) {
    size_t n = 0;
    while (n < chunk_pairs && reader.next(src[n], tgt[n])) ++n;
    if (n == 0) break;
    append_encoded(src.data(), tgt.data(), n, src_encoder, tgt_encoder, max_length, out);
    if (n < chunk_pairs) break;
  }
  return out;
}

}  // namespace ferry
