#include "eval/chrf.h"

#include <cstdio>

#include "eval/ngram_counts.h"
#include "eval/unicode_text.h"
#include "util/error.h"

namespace ferry {
namespace {

// Python's string.punctuation, the set sacreBLEU splits off words for chrF++.
bool is_ascii_punctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// The n-gram counts of one sentence: character orders first, then word orders.
std::vector<NgramCounts> ngram_profile(std::string_view sentence, const ChrfOptions& options) {
  std::vector<NgramCounts> profile;
  profile.reserve(static_cast<size_t>(options.char_order + options.word_order));

  std::string characters;
  characters.reserve(sentence.size());
  for (const std::string_view word : split_words(sentence)) characters.append(word);
  const std::vector<size_t> offsets = code_point_offsets(characters);
  for (int n = 1; n <= options.char_order; ++n) profile.push_back(count_char_ngrams(characters, offsets, n));

  if (options.word_order > 0) {
    const std::vector<std::string_view> words = chrf_words(sentence);
    for (int n = 1; n <= options.word_order; ++n) profile.push_back(count_word_ngrams(words, n));
  }
  return profile;
}

ChrfStats match_profiles(const std::vector<NgramCounts>& hypothesis,
                         const std::vector<NgramCounts>& reference) {
  ChrfStats stats;
  stats.orders.resize(hypothesis.size());
  for (size_t i = 0; i < hypothesis.size(); ++i) {
    NgramMatchCounts& counts = stats.orders[i];
    // A hypothesis n-gram of an order the reference is too short for is not counted at all.
    counts.hyp = reference[i].empty() ? 0 : total_count(hypothesis[i]);
    counts.ref = total_count(reference[i]);
    counts.match = clipped_matches(hypothesis[i], reference[i]);
  }
  return stats;
}

// F-beta in percent of precision and recall averaged over the orders where both sides have n-grams.
double f_score(const ChrfStats& stats, int beta) {
  double precision = 0.0, recall = 0.0;
  int effective_orders = 0;
  for (const NgramMatchCounts& counts : stats.orders) {
    if (counts.hyp > 0 && counts.ref > 0) {
      precision += static_cast<double>(counts.match) / static_cast<double>(counts.hyp);
      recall += static_cast<double>(counts.match) / static_cast<double>(counts.ref);
      ++effective_orders;
    }
  }
  if (effective_orders == 0) return 0.0;
  precision /= effective_orders;
  recall /= effective_orders;
  if (precision + recall == 0.0) return 0.0;
  const double beta_squared = static_cast<double>(beta) * beta;
  return 100.0 * (1.0 + beta_squared) * precision * recall / (beta_squared * precision + recall);
}

}  // namespace

ChrfOptions chrf_options() { return ChrfOptions{}; }

ChrfOptions chrf_plus_plus_options() {
  ChrfOptions options;
  options.word_order = 2;
  return options;
}

ChrfStats& ChrfStats::operator+=(const ChrfStats& other) {
  if (orders.empty()) orders.resize(other.orders.size());
  FERRY_CHECK(orders.size() == other.orders.size(), InternalError,
              "adding chrF statistics of " << other.orders.size() << " orders to " << orders.size());
  for (size_t i = 0; i < orders.size(); ++i) {
    orders[i].hyp += other.orders[i].hyp;
    orders[i].ref += other.orders[i].ref;
    orders[i].match += other.orders[i].match;
  }
  return *this;
}

std::string ChrfScore::name() const { return "chrF" + std::to_string(beta) + std::string(word_order, '+'); }

std::string ChrfScore::format() const {
  char value[32];
  std::snprintf(value, sizeof value, "%.2f", score);
  return name() + " = " + value;
}

std::vector<std::string_view> chrf_words(std::string_view sentence) {
  std::vector<std::string_view> words;
  for (const std::string_view word : split_words(sentence)) {
    // Punctuation is ASCII, so a punctuation byte at either end is a whole character.
    const bool single_character = code_point_at(word, 0).length == word.size();
    if (!single_character && is_ascii_punctuation(word.back())) {
      words.push_back(word.substr(0, word.size() - 1));
      words.push_back(word.substr(word.size() - 1));
    } else if (!single_character && is_ascii_punctuation(word.front())) {
      words.push_back(word.substr(0, 1));
      words.push_back(word.substr(1));
    } else {
      words.push_back(word);
    }
  }
  return words;
}

ChrfStats chrf_sentence_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const ChrfOptions& options) {
  const std::vector<NgramCounts> hyp_profile = ngram_profile(hypothesis, options);
  ChrfStats best;
  double best_score = -1.0;  // the first reference with the strictly highest sentence score wins
  for (const std::string_view reference : usable_references(references)) {
    ChrfStats stats = match_profiles(hyp_profile, ngram_profile(reference, options));
    const double score = f_score(stats, options.beta);
    if (score > best_score) {
      best_score = score;
      best = std::move(stats);
    }
  }
  return best;
}

ChrfScore chrf_from_stats(const ChrfStats& stats, const ChrfOptions& options) {
  const size_t orders = static_cast<size_t>(options.char_order + options.word_order);
  FERRY_CHECK(stats.orders.empty() || stats.orders.size() == orders, InternalError,
              "chrF statistics of " << stats.orders.size() << " orders scored with options for " << orders);
  ChrfScore result;
  result.score = f_score(stats, options.beta);
  result.char_order = options.char_order;
  result.word_order = options.word_order;
  result.beta = options.beta;
  return result;
}

ChrfScore corpus_chrf(const std::vector<std::string>& hypotheses, const ReferenceStreams& references,
                      const ChrfOptions& options) {
  check_streams_align(hypotheses.size(), references);
  ChrfStats stats;
  for (size_t line = 0; line < hypotheses.size(); ++line) {
    stats += chrf_sentence_stats(hypotheses[line], references_of_line(references, line), options);
  }
  return chrf_from_stats(stats, options);
}

}  // namespace ferry
