// A hand-built step scorer for search tests: the next token's log-probabilities are a function of the
// sentence's source and the hypothesis's prefix (the tokens fed after <s>). It checks how search drives it
// (rows stay within their sentence, only live tokens are fed) and records the rows of every step.
// Its attention puts all weight on source position (prefix length mod (source length + 1)).
#pragma once

#include <functional>
#include <vector>

#include "translate/step_scorer.h"

namespace ferry {

class TableScorer : public StepScorer {
 public:
  // Returns `vocab` log-probabilities for the next token.
  using Table = std::function<std::vector<float>(const TokenIds& source, const TokenIds& prefix)>;

  TableScorer(int64_t vocab, Table table);

  int64_t vocab() const override { return vocab_; }
  bool has_attention() const override { return true; }
  void begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) override;
  const Tensor& step(const std::vector<int>& tokens) override;
  const Tensor& attention() const override { return attention_; }
  void reorder_rows(const std::vector<int>& rows) override;
  void keep_sentences(const std::vector<int>& sentences) override;

  // Rows scored at each step of every batch so far.
  const std::vector<int64_t>& rows_per_step() const { return rows_per_step_; }
  // Tokens the search fed (all steps, all rows).
  const std::vector<int>& fed_tokens() const { return fed_tokens_; }

 private:
  int64_t vocab_;
  Table table_;
  int64_t rows_per_sentence_ = 1;
  int64_t source_steps_ = 0;
  std::vector<TokenIds> sources_;
  std::vector<int> sentence_of_row_;  // index into sources_
  std::vector<TokenIds> prefixes_;
  bool started_ = false;  // whether the first (<s>) step was fed
  Tensor log_probs_, attention_;
  std::vector<int64_t> rows_per_step_;
  std::vector<int> fed_tokens_;
};

// log(p) for each of `probabilities` (0 gives -inf).
std::vector<float> log_of(const std::vector<double>& probabilities);

// A table of pseudo-random distributions over unk, </s> and the words (ids 4 .. vocab - 1), fixed per (seed,
// source, prefix); pad and <s> are impossible.
TableScorer::Table random_table(uint64_t seed, int64_t vocab);

}  // namespace ferry
