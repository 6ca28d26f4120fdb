// A corpus as subword ids, filtered by length: what batches are made of.
#pragma once

#include <string>
#include <vector>

#include "data/corpus.h"
#include "data/subword.h"
#include "data/token_sequences.h"

namespace ferry {

struct EncodedCorpus {
  TokenSequences src;  // subword ids, no specials
  TokenSequences tgt;
  size_t too_long = 0;        // pairs skipped for having a side longer than max_length
  size_t size() const { return src.size(); }
  // Sum over pairs of the target length plus one (</s>), the tokens the loss is taken over.
  int64_t target_tokens() const;
  // A checksum of every pair's ids in order (8 hex digits): equal for the same pairs, and almost surely
  // different when any pair, or their order, differs.
  std::string fingerprint() const;
};

// Pairs encoded at a time: their ids are held twice (per pair, then in the corpus's arrays) only a chunk at a
// time.
constexpr size_t kEncodeChunkPairs = 1 << 16;

// Encodes both sides; pairs with a side of more than `max_length` subwords are skipped and counted
// (max_length 0: no limit).
EncodedCorpus encode_corpus(const ParallelCorpus& corpus, const SubwordModel& src_model,
                            const SubwordModel& tgt_model, int64_t max_length);
// The same for the pairs `reader` gives, read and encoded `chunk_pairs` at a time, so that only one chunk's
// text is held; reader.stats() then holds the corpus's counts.
EncodedCorpus encode_corpus(CorpusReader& reader, const SubwordModel& src_model, const SubwordModel& tgt_model,
                            int64_t max_length, size_t chunk_pairs = kEncodeChunkPairs);

}  // namespace ferry
