// One side of an encoded corpus as flat arrays: every sequence's ids end to end, and where each sequence
// starts. The arrays are the object's own, or borrowed from a mapped file that the object keeps alive (the
// training pair cache, train/pair_cache.h); a borrowed side may carry each sequence's CRC-32, checked when the
// sequence is read for a batch, so that a process reads, and checks, only the pairs its batches hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "data/subword.h"
#include "util/growable_array.h"

namespace ferry {

// The ids of one sequence, owned elsewhere.
class IdSpan {
 public:
  IdSpan() = default;
  IdSpan(const int* data, size_t size) : data_(data), size_(size) {}
  const int* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const int* begin() const { return data_; }
  const int* end() const { return data_ + size_; }
  int operator[](size_t i) const { return data_[i]; }
  TokenIds to_vector() const { return TokenIds(begin(), end()); }

 private:
  const int* data_ = nullptr;
  size_t size_ = 0;
};

class TokenSequences {
 public:
  TokenSequences() = default;
  TokenSequences(const std::vector<TokenIds>& sequences);  // NOLINT: a copy in the other layout
  TokenSequences(std::initializer_list<TokenIds> sequences) : TokenSequences(std::vector<TokenIds>(sequences)) {}
  // `size` sequences in arrays that `owner` keeps alive: offsets[0..size] (offsets[0] = 0), ids up to
  // offsets[size], and each sequence's CRC-32 in `checksums` (or nullptr). `origin` names them in errors.
  static TokenSequences borrowed(std::shared_ptr<const void> owner, size_t size, const uint64_t* offsets,
                                 const int* ids, const uint32_t* checksums, std::string origin);

  size_t size() const { return owner_ ? size_ : own_offsets_.size() - 1; }
  size_t length(size_t i) const { return static_cast<size_t>(offsets()[i + 1] - offsets()[i]); }
  uint64_t total_ids() const { return offsets()[size()]; }
  IdSpan operator[](size_t i) const { return IdSpan(ids() + offsets()[i], length(i)); }
  // Sequence i, checked against its stored CRC-32 if there is one: ModelFileError naming the origin if they
  // differ.
  IdSpan checked(size_t i) const;
  // The CRC-32 of sequence i's ids: the stored one, or computed.
  uint32_t checksum(size_t i) const;

  const uint64_t* offsets() const { return owner_ ? offsets_ : own_offsets_.data(); }
  const int* ids() const { return owner_ ? ids_ : own_ids_.data(); }

  // Appending is for sequences of the object's own (InternalError on borrowed ones).
  void push_back(IdSpan ids);
  void push_back(const TokenIds& ids) { push_back(IdSpan(ids.data(), ids.size())); }

  std::vector<TokenIds> to_vectors() const;
  // The same sequences, however stored.
  friend bool operator==(const TokenSequences& a, const TokenSequences& b);
  friend bool operator!=(const TokenSequences& a, const TokenSequences& b) { return !(a == b); }

 private:
  static GrowableArray<uint64_t> starting_offsets();  // {0}
  static uint32_t computed_checksum(IdSpan ids);

  GrowableArray<uint64_t> own_offsets_ = starting_offsets();
  GrowableArray<int> own_ids_;
  std::shared_ptr<const void> owner_;  // set when the arrays are borrowed
  size_t size_ = 0;
  const uint64_t* offsets_ = nullptr;
  const int* ids_ = nullptr;
  const uint32_t* checksums_ = nullptr;
  std::string origin_;
};

}  // namespace ferry
