#include "support/table_scorer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "util/rng.h"
#include "util/special_ids.h"

namespace ferry {

TableScorer::TableScorer(int64_t vocab, Table table) : vocab_(vocab), table_(std::move(table)) {}

void TableScorer::begin(const std::vector<TokenIds>& sources, int64_t rows_per_sentence) {
  sources_ = sources;
  rows_per_sentence_ = rows_per_sentence;
  source_steps_ = 0;
  for (const TokenIds& s : sources)
    source_steps_ = std::max<int64_t>(source_steps_, static_cast<int64_t>(s.size()) + 1);
  sentence_of_row_.clear();
  for (size_t b = 0; b < sources.size(); ++b)
    for (int64_t k = 0; k < rows_per_sentence; ++k) sentence_of_row_.push_back(static_cast<int>(b));
  prefixes_.assign(sentence_of_row_.size(), {});
  started_ = false;
}

const Tensor& TableScorer::step(const std::vector<int>& tokens) {
  const auto rows = static_cast<int64_t>(sentence_of_row_.size());
  if (static_cast<int64_t>(tokens.size()) != rows)
    throw std::logic_error("step: " + std::to_string(tokens.size()) + " tokens for " + std::to_string(rows) +
                           " rows");
  rows_per_step_.push_back(rows);
  for (int64_t r = 0; r < rows; ++r) {
    const int token = tokens[r];
    fed_tokens_.push_back(token);
    if (!started_) {
      if (token != kBosId) throw std::logic_error("the first step must feed <s>");
    } else {
      prefixes_[r].push_back(token);
    }
  }
  started_ = true;
  log_probs_.resize({rows, vocab_});
  attention_.resize({rows, source_steps_});
  attention_.zero();
  for (int64_t r = 0; r < rows; ++r) {
    const TokenIds& source = sources_[sentence_of_row_[r]];
    const std::vector<float> row = table_(source, prefixes_[r]);
    if (static_cast<int64_t>(row.size()) != vocab_) throw std::logic_error("table row of the wrong size");
    std::copy(row.begin(), row.end(), log_probs_.data() + r * vocab_);
    const auto position = static_cast<int64_t>(prefixes_[r].size() % (source.size() + 1));
    attention_.data()[r * source_steps_ + position] = 1.0f;
  }
  return log_probs_;
}

void TableScorer::reorder_rows(const std::vector<int>& rows) {
  const size_t sentences = sentence_of_row_.size() / static_cast<size_t>(rows_per_sentence_);
  if (rows.size() % sentences != 0)
    throw std::logic_error("reorder_rows: not a whole number of rows per sentence");
  const auto per_sentence = static_cast<int64_t>(rows.size() / sentences);
  std::vector<TokenIds> reordered;
  std::vector<int> sentence_of_row;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int sentence =
        sentence_of_row_[i / static_cast<size_t>(per_sentence) * static_cast<size_t>(rows_per_sentence_)];
    if (rows[i] < 0 || static_cast<size_t>(rows[i]) >= prefixes_.size() ||
        sentence_of_row_[static_cast<size_t>(rows[i])] != sentence)
      throw std::logic_error("reorder_rows: a row left its sentence");
    reordered.push_back(prefixes_[static_cast<size_t>(rows[i])]);
    sentence_of_row.push_back(sentence);
  }
  prefixes_ = std::move(reordered);
  sentence_of_row_ = std::move(sentence_of_row);
  rows_per_sentence_ = per_sentence;
}

void TableScorer::keep_sentences(const std::vector<int>& sentences) {
  std::vector<int> rows_sentence;
  std::vector<TokenIds> prefixes;
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (i > 0 && sentences[i] <= sentences[i - 1]) throw std::logic_error("keep_sentences: not increasing");
    for (int64_t k = 0; k < rows_per_sentence_; ++k) {
      const auto row = static_cast<size_t>(sentences[i] * rows_per_sentence_ + k);
      if (row >= prefixes_.size()) throw std::logic_error("keep_sentences: no such sentence");
      rows_sentence.push_back(sentence_of_row_[row]);
      prefixes.push_back(prefixes_[row]);
    }
  }
  sentence_of_row_ = std::move(rows_sentence);
  prefixes_ = std::move(prefixes);
}

std::vector<float> log_of(const std::vector<double>& probabilities) {
  std::vector<float> out;
  for (double p : probabilities) out.push_back(static_cast<float>(std::log(p)));
  return out;
}

TableScorer::Table random_table(uint64_t seed, int64_t vocab) {
  return [seed, vocab](const TokenIds& source, const TokenIds& prefix) {
    uint64_t key = 1469598103934665603ull;
    for (int t : source) key = (key ^ static_cast<uint64_t>(t + 17)) * 1099511628211ull;
    for (int t : prefix) key = (key ^ static_cast<uint64_t>(t + 101)) * 1099511628211ull;
    Rng rng(seed, key);
    std::vector<double> p(static_cast<size_t>(vocab), 0.0);
    double total = 0;
    for (int t = kUnkId; t < vocab; ++t) {
      if (t != kBosId) total += p[t] = 0.05 + rng.uniform();
    }
    for (double& x : p) x /= total;
    return log_of(p);
  };
}

}  // namespace ferry
