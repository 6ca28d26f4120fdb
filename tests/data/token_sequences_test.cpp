// TokenSequences: the flat layout against the sequences it was given, borrowed arrays and their checksums, and
// EncodedCorpus's fingerprint over either.
#include "data/token_sequences.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "data/dataset.h"
#include "util/error.h"
#include "util/file_io.h"

namespace ferry {
namespace {

const std::vector<TokenIds> kSequences = {{5, 6, 7}, {}, {8}, {9, 10, 11, 12}};

TEST(TokenSequences, HoldsEverySequenceEndToEnd) {
  const TokenSequences side(kSequences);
  ASSERT_EQ(side.size(), 4u);
  EXPECT_EQ(side.total_ids(), 8u);
  EXPECT_EQ(std::vector<uint64_t>(side.offsets(), side.offsets() + 5), (std::vector<uint64_t>{0, 3, 3, 4, 8}));
  for (size_t i = 0; i < kSequences.size(); ++i) {
    EXPECT_EQ(side.length(i), kSequences[i].size());
    EXPECT_EQ(side[i].to_vector(), kSequences[i]);
    EXPECT_EQ(side.checksum(i), crc32_of(kSequences[i].data(), kSequences[i].size() * sizeof(int)));
  }
  EXPECT_EQ(side.to_vectors(), kSequences);
  EXPECT_EQ(side, TokenSequences({{5, 6, 7}, {}, {8}, {9, 10, 11, 12}}));
  EXPECT_NE(side, TokenSequences({{5, 6}, {7}, {8}, {9, 10, 11, 12}}));  // the same ids, cut elsewhere
  EXPECT_EQ(TokenSequences().size(), 0u);
  EXPECT_EQ(TokenSequences().total_ids(), 0u);
}

// Arrays as a mapped cache file gives them, with each sequence's CRC-32.
struct BorrowedArrays {
  std::vector<uint64_t> offsets{0, 3, 3, 4, 8};
  std::vector<int> ids{5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<uint32_t> checksums;
  BorrowedArrays() {
    for (const TokenIds& s : kSequences) checksums.push_back(crc32_of(s.data(), s.size() * sizeof(int)));
  }
};

TEST(TokenSequences, BorrowedArraysAreCheckedAsTheyAreRead) {
  auto arrays = std::make_shared<BorrowedArrays>();
  const TokenSequences side = TokenSequences::borrowed(arrays, 4, arrays->offsets.data(), arrays->ids.data(),
                                                       arrays->checksums.data(), "cache.bin");
  EXPECT_EQ(side, TokenSequences(kSequences));
  EXPECT_EQ(side.checked(3).to_vector(), kSequences[3]);
  arrays->ids[5] = 99;  // damage inside sequence 3
  EXPECT_EQ(side.checked(0).to_vector(), kSequences[0]);
  try {
    side.checked(3);
    ADD_FAILURE() << "a damaged sequence was read";
  } catch (const ModelFileError& e) {
    EXPECT_EQ(std::string(e.what()), "cache.bin: sequence 3 is damaged (its checksum does not match)");
  }
  EXPECT_THROW(TokenSequences(side).push_back(TokenIds{1}), InternalError);
}

TEST(TokenSequences, BorrowedArraysStayAliveWhileTheSequencesAreHeld) {
  auto arrays = std::make_shared<BorrowedArrays>();
  const TokenSequences side = TokenSequences::borrowed(arrays, 4, arrays->offsets.data(), arrays->ids.data(),
                                                       nullptr, "cache.bin");
  arrays.reset();
  EXPECT_EQ(side.to_vectors(), kSequences);
}

// The fingerprint as it was defined before sequences were flat, and checkpoints hold: the CRC-32 of every
// pair's source length and ids, then its target length and ids.
std::string running_crc_fingerprint(const std::vector<TokenIds>& src, const std::vector<TokenIds>& tgt) {
  uint32_t crc = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    for (const TokenIds* side : {&src[i], &tgt[i]}) {
      const auto length = static_cast<uint32_t>(side->size());
      crc = crc32_of(&length, sizeof length, crc);
      crc = crc32_of(side->data(), side->size() * sizeof(int), crc);
    }
  }
  char text[16];
  std::snprintf(text, sizeof text, "%08x", crc);
  return text;
}

TEST(TokenSequences, TheFingerprintIsTheSameFromStoredChecksumsAndFromTheIds) {
  const std::vector<TokenIds> tgt = {{1}, {2, 3}, {}, {4, 5, 6}};
  EncodedCorpus owned;
  owned.src = kSequences;
  owned.tgt = tgt;
  EXPECT_EQ(owned.fingerprint(), running_crc_fingerprint(kSequences, tgt));

  auto arrays = std::make_shared<BorrowedArrays>();
  EncodedCorpus borrowed;
  borrowed.src = TokenSequences::borrowed(arrays, 4, arrays->offsets.data(), arrays->ids.data(),
                                          arrays->checksums.data(), "cache.bin");
  borrowed.tgt = tgt;
  EXPECT_EQ(borrowed.fingerprint(), owned.fingerprint());
  // A stored checksum stands for its ids: changing it changes the fingerprint without the ids being read.
  arrays->checksums[1] ^= 1;
  EXPECT_NE(borrowed.fingerprint(), owned.fingerprint());
}

}  // namespace
}  // namespace ferry
