#include "data/dataset.h"

#include <cstdio>

#include "util/file_io.h"

namespace ferry {

std::string EncodedCorpus::fingerprint() const {
  uint32_t crc = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    for (const TokenIds* side : {&src[i], &tgt[i]}) {
      // The length first, so that ids cannot move between pairs or sides unnoticed.
      const auto length = static_cast<uint32_t>(side->size());
      crc = crc32_of(&length, sizeof length, crc);
      crc = crc32_of(side->data(), side->size() * sizeof(int), crc);
    }
  }
  char text[16];
  std::snprintf(text, sizeof text, "%08x", crc);
  return text;
}

int64_t EncodedCorpus::target_tokens() const {
  int64_t n = 0;
  for (const auto& t : tgt) n += static_cast<int64_t>(t.size()) + 1;
  return n;
}

EncodedCorpus encode_corpus(const ParallelCorpus& corpus, const SubwordModel& src_model,
                            const SubwordModel& tgt_model, int64_t max_length) {
  std::vector<TokenIds> src = src_model.encode_all(corpus.src);
  std::vector<TokenIds> tgt = tgt_model.encode_all(corpus.tgt);
  EncodedCorpus out;
  out.src.reserve(src.size());
  out.tgt.reserve(tgt.size());
  for (size_t i = 0; i < src.size(); ++i) {
    const auto limit = static_cast<size_t>(max_length);
    if (max_length > 0 && (src[i].size() > limit || tgt[i].size() > limit)) {
      ++out.too_long;
      continue;
    }
    out.src.push_back(std::move(src[i]));
    out.tgt.push_back(std::move(tgt[i]));
  }
  return out;
}

}  // namespace ferry
