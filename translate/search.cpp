#include "translate/search.h"

#include <algorithm>
#include <limits>

#include "core/parallel.h"
#include "translate/token_sampler.h"
#include "util/error.h"

namespace ferry {
namespace {

constexpr double kNoHypothesis = -std::numeric_limits<double>::infinity();

bool is_identity(const std::vector<int>& rows) {
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i] != static_cast<int>(i)) return false;
  return true;
}

}  // namespace

Search::Search(const SearchOptions& options)
    : options_(options),
      rows_(options.sampling.enabled ? options.n_best : options.beam_size),
      selection_(options.sampling.enabled ? 1 : options.beam_size) {
  check_search_options(options);
}

void Search::run(StepScorer& scorer, const std::vector<TokenIds>& sources, const std::vector<uint64_t>& keys,
                 std::vector<NBest>& results) {
  FERRY_CHECK(keys.size() == sources.size(), InternalError,
              "search: " << keys.size() << " keys for " << sources.size() << " sentences");
  FERRY_CHECK(!options_.keep_attention || scorer.has_attention(), InputError,
              "attention weights were asked for, but the model has no attention");
  results.resize(sources.size());
  for (NBest& n_best : results) n_best.clear();
  if (sources.empty()) return;
  start(sources, keys);
  // A sentence's beam rows start alike (<s> from one state): the scorer steps one row per sentence first and
  // spreads its continuations over the beam rows after it. Samples differ from the start.
  scored_rows_ = options_.sampling.enabled ? rows_ : 1;
  scorer.begin(sources, scored_rows_);
  const bool best_only = rows_ == 1 && !options_.sampling.enabled && !options_.scores && scorer.picks_best();
  for (int64_t step = 0;; ++step) {
    const int64_t rows = static_cast<int64_t>(active_.size()) * rows_;
    const int64_t scorer_rows = static_cast<int64_t>(active_.size()) * scored_rows_;
    fed_tokens_.resize(static_cast<size_t>(scorer_rows));
    for (int64_t r = 0; r < rows; ++r)
      if (r % rows_ < scored_rows_) fed_tokens_[scorer_row(r)] = tokens_[r];
    const int64_t vocab = scorer.vocab();
    const Tensor* log_probs = nullptr;
    const std::vector<int>* best = nullptr;
    if (best_only) {
      best = &scorer.step_best(fed_tokens_);
      FERRY_CHECK(static_cast<int64_t>(best->size()) == scorer_rows, InternalError,
                  "search: " << best->size() << " best tokens for " << scorer_rows << " rows");
    } else {
      log_probs = &scorer.step(fed_tokens_);
      FERRY_CHECK(
          log_probs->rank() == 2 && log_probs->dim(0) == scorer_rows && log_probs->dim(1) == vocab,
          InternalError,
          "search: log-probabilities " << dims_text(log_probs->dims()) << " for " << scorer_rows << " rows");
    }
    if (options_.keep_attention) {
      attention_ = &scorer.attention();
      FERRY_CHECK(attention_->rank() == 2 && attention_->dim(0) == scorer_rows &&
                      attention_->dim(1) >= attention_width_,
                  InternalError,
                  "search: attention " << dims_text(attention_->dims()) << " for " << scorer_rows
                                       << " rows and " << attention_width_ << " source positions");
    }
    if (log_probs && !options_.sampling.enabled) rank_rows(log_probs->data(), vocab, step);
    next_tokens_.resize(static_cast<size_t>(rows));
    next_scores_.resize(static_cast<size_t>(rows));
    next_nodes_.resize(static_cast<size_t>(rows));
    parents_.resize(static_cast<size_t>(rows));
    kept_.clear();
    for (size_t p = 0; p < active_.size(); ++p) {
      const int sentence = active_[p];
      const auto position = static_cast<int64_t>(p);
      const bool force_end = step >= max_length_[sentence];
      bool going_on = false;
      if (best) {
        going_on = extend_best(position, sentence, force_end, (*best)[p], results);
      } else {
        const float* sentence_log_probs = log_probs->data() + position * scored_rows_ * vocab;
        going_on = options_.sampling.enabled
                       ? extend_samples(position, sentence, force_end, sentence_log_probs, vocab, results)
                       : extend_beam(position, sentence, force_end, sentence_log_probs, vocab, results);
      }
      if (going_on) kept_.push_back(static_cast<int>(p));
    }
    if (scored_rows_ != rows_) {
      // Every row now continues the one row its sentence was scored with.
      for (int& parent : parents_) parent = static_cast<int>(scorer_row(parent));
      scorer.reorder_rows(parents_);
      scored_rows_ = rows_;
    } else if (!is_identity(parents_)) {
      scorer.reorder_rows(parents_);
    }
    std::swap(tokens_, next_tokens_);
    std::swap(scores_, next_scores_);
    std::swap(nodes_, next_nodes_);
    if (!keep_unfinished(scorer)) break;
  }
  for (NBest& n_best : results) {
    std::stable_sort(n_best.begin(), n_best.end(),
                     [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
    if (static_cast<int64_t>(n_best.size()) > options_.n_best)
      n_best.resize(static_cast<size_t>(options_.n_best));
  }
}

int64_t Search::scorer_row(int64_t row) const { return row / rows_ * scored_rows_ + row % rows_; }

void Search::start(const std::vector<TokenIds>& sources, const std::vector<uint64_t>& keys) {
  const size_t batch = sources.size();
  max_length_.resize(batch);
  source_columns_.resize(batch);
  int64_t longest_output = 0;
  attention_width_ = 0;
  for (size_t b = 0; b < batch; ++b) {
    const auto length = static_cast<int64_t>(sources[b].size());
    max_length_[b] = max_output_length(length, options_);
    source_columns_[b] = length + 1;
    longest_output = std::max(longest_output, max_length_[b]);
    attention_width_ = std::max(attention_width_, length + 1);
  }
  if (!options_.keep_attention) attention_width_ = 0;
  attention_ = nullptr;
  rngs_.clear();
  if (options_.sampling.enabled)
    for (uint64_t key : keys) rngs_.emplace_back(options_.sampling.seed, key);
  active_.resize(batch);
  for (size_t b = 0; b < batch; ++b) active_[b] = static_cast<int>(b);
  const auto rows = static_cast<size_t>(static_cast<int64_t>(batch) * rows_);
  tokens_.assign(rows, kBosId);
  nodes_.assign(rows, HypothesisTrail::kRoot);
  scores_.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    // Beam rows start identical: only the first of each sentence is extended, or the beam would fill with
    // copies. Samples are independent from the start.
    const bool first = r % static_cast<size_t>(rows_) == 0;
    scores_[r] = first || options_.sampling.enabled ? 0.0 : kNoHypothesis;
  }
  // Each step adds at most two nodes per row: a continuation and a finished hypothesis.
  trail_.clear(2 * static_cast<int64_t>(rows) * (longest_output + 2), attention_width_);
}

void Search::rank_rows(const float* log_probs, int64_t vocab, int64_t step) {
  const auto rows = static_cast<int64_t>(active_.size()) * rows_;
  if (static_cast<int64_t>(row_best_.size()) < rows) row_best_.resize(static_cast<size_t>(rows));
#pragma omp parallel for schedule(static) if (rows * vocab >= kParallelMinElements)
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<TokenScore>& best = row_best_[static_cast<size_t>(r)];
    best.clear();
    if (scores_[static_cast<size_t>(r)] > kNoHypothesis && step < max_length_[active_[r / rows_]])
      BeamSelection::rank_row(log_probs + scorer_row(r) * vocab, vocab, rows_, best);
  }
}

bool Search::extend_beam(int64_t position, int sentence, bool force_end, const float* log_probs,
                         int64_t vocab, std::vector<NBest>& results) {
  const int64_t base = position * rows_;
  selection_.select(scores_.data() + base, log_probs, row_best_.data() + base, vocab, force_end);
  for (const Extension& e : selection_.finished()) {
    const int node = trail_.add(nodes_[base + e.row], kEosId, attention_row(base + e.row));
    finish(sentence, node, e.log_prob, results);
  }
  const std::vector<Extension>& continuing = selection_.continuing();
  for (int64_t k = 0; k < rows_; ++k) {
    if (k < static_cast<int64_t>(continuing.size())) {
      const Extension& e = continuing[k];
      const int64_t parent = base + e.row;
      set_next(base + k, parent, e.token, e.log_prob,
               trail_.add(nodes_[parent], e.token, attention_row(parent)));
    } else {
      set_next(base + k, base, kEosId, kNoHypothesis, -1);
    }
  }
  return !continuing.empty() && static_cast<int64_t>(results[sentence].size()) < rows_;
}

bool Search::extend_best(int64_t position, int sentence, bool force_end, int best,
                         std::vector<NBest>& results) {
  const int token = force_end ? kEosId : best;
  if (token < 0) {
    set_next(position, position, kEosId, kNoHypothesis, -1);
    return false;
  }
  const int node = trail_.add(nodes_[position], token, attention_row(position));
  constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();  // options_.scores is off
  if (token == kEosId) {
    finish(sentence, node, kUnknown, results);
    set_next(position, position, kEosId, kNoHypothesis, -1);
    return false;
  }
  set_next(position, position, token, kUnknown, node);
  return true;
}

bool Search::extend_samples(int64_t position, int sentence, bool force_end, const float* log_probs,
                            int64_t vocab, std::vector<NBest>& results) {
  const int64_t base = position * rows_;
  bool any_live = false;
  for (int64_t k = 0; k < rows_; ++k) {
    const int64_t row = base + k;
    const float* row_log_probs = log_probs + k * vocab;
    const int token =
        !(scores_[row] > kNoHypothesis) ? -1
        : force_end                     ? kEosId
                    : sample_token(row_log_probs, vocab, options_.sampling, rngs_[sentence], sample_scratch_);
    if (token < 0) {
      set_next(row, row, kEosId, kNoHypothesis, -1);
      continue;
    }
    const double log_prob = scores_[row] + row_log_probs[token];
    const int node = trail_.add(nodes_[row], token, attention_row(row));
    if (token == kEosId) {
      finish(sentence, node, log_prob, results);
      set_next(row, row, kEosId, kNoHypothesis, -1);
    } else {
      set_next(row, row, token, log_prob, node);
      any_live = true;
    }
  }
  return any_live;
}

void Search::set_next(int64_t row, int64_t parent, int token, double log_prob, int node) {
  parents_[row] = static_cast<int>(parent);
  next_tokens_[row] = token;
  next_scores_[row] = log_prob;
  next_nodes_[row] = node;
}

void Search::finish(int sentence, int node, double log_prob, std::vector<NBest>& results) {
  Hypothesis& h = results[sentence].emplace_back();
  trail_.trace(node, source_columns_[sentence], h);
  h.log_prob = log_prob;
  h.score = normalized_score(log_prob, static_cast<int64_t>(h.tokens.size()) + 1, options_);
}

const float* Search::attention_row(int64_t row) const {
  return attention_ ? attention_->data() + scorer_row(row) * attention_->dim(1) : nullptr;
}

bool Search::keep_unfinished(StepScorer& scorer) {
  if (kept_.size() == active_.size()) return true;
  if (kept_.empty()) return false;
  for (size_t q = 0; q < kept_.size(); ++q) {
    const auto p = static_cast<size_t>(kept_[q]);
    active_[q] = active_[p];
    for (int64_t k = 0; k < rows_; ++k) {
      const size_t to = q * rows_ + k, from = p * rows_ + k;
      tokens_[to] = tokens_[from];
      scores_[to] = scores_[from];
      nodes_[to] = nodes_[from];
    }
  }
  active_.resize(kept_.size());
  const auto rows = static_cast<size_t>(static_cast<int64_t>(kept_.size()) * rows_);
  tokens_.resize(rows);
  scores_.resize(rows);
  nodes_.resize(rows);
  scorer.keep_sentences(kept_);
  return true;
}

}  // namespace ferry
