#include "data/token_sequences.h"

#include <algorithm>

#include "util/error.h"
#include "util/file_io.h"

namespace ferry {

TokenSequences::TokenSequences(const std::vector<TokenIds>& sequences) {
  for (const TokenIds& ids : sequences) push_back(ids);
}

TokenSequences TokenSequences::borrowed(std::shared_ptr<const void> owner, size_t size, const uint64_t* offsets,
                                        const int* ids, const uint32_t* checksums, std::string origin) {
  FERRY_CHECK(owner && offsets && offsets[0] == 0, InternalError, "borrowed sequences without their arrays");
  TokenSequences out;
  out.owner_ = std::move(owner);
  out.size_ = size;
  out.offsets_ = offsets;
  out.ids_ = ids;
  out.checksums_ = checksums;
  out.origin_ = std::move(origin);
  return out;
}

uint32_t TokenSequences::computed_checksum(IdSpan ids) { return crc32_of(ids.data(), ids.size() * sizeof(int)); }

IdSpan TokenSequences::checked(size_t i) const {
  const IdSpan ids = (*this)[i];
  FERRY_CHECK(checksums_ == nullptr || computed_checksum(ids) == checksums_[i], ModelFileError,
              origin_ << ": sequence " << i << " is damaged (its checksum does not match)");
  return ids;
}

uint32_t TokenSequences::checksum(size_t i) const {
  return checksums_ != nullptr ? checksums_[i] : computed_checksum((*this)[i]);
}

GrowableArray<uint64_t> TokenSequences::starting_offsets() {
  GrowableArray<uint64_t> offsets;
  offsets.push_back(0);
  return offsets;
}

void TokenSequences::push_back(IdSpan ids) {
  FERRY_CHECK(!owner_, InternalError, "appending to sequences borrowed from " << origin_);
  own_ids_.append(ids.data(), ids.size());
  own_offsets_.push_back(own_ids_.size());
}

std::vector<TokenIds> TokenSequences::to_vectors() const {
  std::vector<TokenIds> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.push_back((*this)[i].to_vector());
  return out;
}

bool operator==(const TokenSequences& a, const TokenSequences& b) {
  return a.size() == b.size() && std::equal(a.offsets(), a.offsets() + a.size() + 1, b.offsets()) &&
         std::equal(a.ids(), a.ids() + a.total_ids(), b.ids());
}

}  // namespace ferry
