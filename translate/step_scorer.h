// What search drives: a step function over rows of hypotheses. A batch of B sentences is searched with
// rows_per_sentence rows each (R = B x rows_per_sentence, the rows of a sentence consecutive); every step
// feeds each row's last token and returns each row's log-distribution over the next one. Search never looks
// inside the scorer's state.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "data/subword.h"

namespace ferry {

class StepScorer {
 public:
  virtual ~StepScorer() = default;

  // Size of the target vocabulary (V).
  virtual int64_t vocab() const = 0;
  // Whether attention() is available.
  virtual bool has_attention() const = 0;

  // Starts a batch: source ids (no specials, </s> added by the scorer) and rows_per_sentence rows each, every
  // row at the start of its hypothesis.
  virtual void begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) = 0;
  // tokens {R}: each row's last token (<s> first). Returns log-probabilities {R, V}, valid until the next
  // call.
  virtual const Tensor& step(const std::vector<int>& tokens) = 0;
  // Whether step_best() is there: a scorer that can pick each row's best token without the whole
  // distribution.
  virtual bool picks_best() const { return false; }
  // As step(), but returns only each row's token that step()'s log-probabilities would rank first (pad and
  // <s> never, ties to the lower id, -1 when no token's is finite). Valid until the next call. Only when
  // picks_best().
  virtual const std::vector<int>& step_best(const std::vector<int>& tokens);
  // {R, S} attention weights of the last step, S >= longest source + 1; sentence b's weights lie in its first
  // (source length + 1) columns, the last of them its </s>.
  virtual const Tensor& attention() const = 0;
  // New row i continues old row rows[i] (rows stay within their sentence's group). rows.size() may differ
  // from the current row count by a whole number of rows per sentence: rows_per_sentence becomes
  // rows.size() / B.
  virtual void reorder_rows(const std::vector<int>& rows) = 0;
  // Keeps only the listed sentences (increasing positions in the current batch), with all their rows.
  virtual void keep_sentences(const std::vector<int>& sentences) = 0;
};

}  // namespace ferry
