// SentencePiece subword models: training from a corpus on first use, loading, encoding to ids, decoding.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/data_config.h"
#include "util/special_ids.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace ferry {

using TokenIds = std::vector<int>;

// Lines given one at a time, for SentencePiece training on a corpus too large to hold as text.
class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line; false at the end.
  virtual bool next(std::string& line) = 0;
};

// The lines of a vector.
class VectorLines : public LineSource {
 public:
  explicit VectorLines(const std::vector<std::string>& lines) : lines_(lines) {}
  bool next(std::string& line) override;

 private:
  const std::vector<std::string>& lines_;
  size_t index_ = 0;
};

class SubwordModel {
 public:
  SubwordModel() = default;
  // From a serialized model; `origin` names it in errors (InputError if it is not a valid SentencePiece model or
  // does not use the special ids above).
  static SubwordModel from_bytes(const std::string& serialized, const std::string& origin);
  static SubwordModel load(const std::string& path);
  // Trains a model on `lines` (a corpus of more than config.sample_sentences lines is sampled as it streams
  // by) and returns it serialized; `lines_read`, when given, receives the number of lines. Deterministic for
  // a given seed. DataError when there are no lines.
  static std::string train(LineSource& lines, const SubwordConfig& config, uint64_t seed, int threads,
                           int64_t* lines_read = nullptr);
  static std::string train(const std::vector<std::string>& lines, const SubwordConfig& config, uint64_t seed,
                           int threads);

  // Subword ids of a line, without <s> or </s>.
  TokenIds encode(const std::string& text) const;
  // Text of ids; special ids are dropped.
  std::string decode(const TokenIds& ids) const;
  // The surface pieces of ids (for alignments and debugging).
  std::vector<std::string> pieces(const TokenIds& ids) const;

  int vocab_size() const;
  const std::string& serialized() const { return serialized_; }
  bool loaded() const { return processor_ != nullptr; }

 private:
  std::shared_ptr<sentencepiece::SentencePieceProcessor> processor_;
  std::string serialized_;
};

// When config.model does not exist yet, creates the folder it will be written to; InputError naming the
// folder if that cannot be done.
void create_subword_folder(const SubwordConfig& config);

// The model at config.model; when that file does not exist, trains one on `lines` (read only then) and writes
// it there (atomically, creating its folder) first. Logs which of the two happened.
SubwordModel load_or_train_subwords(const SubwordConfig& config, LineSource& lines, uint64_t seed, int threads,
                                    const std::string& side);

}  // namespace ferry
