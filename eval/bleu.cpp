#include "eval/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "eval/ngram_counts.h"
#include "eval/tokenizer_13a.h"
#include "eval/unicode_text.h"

namespace ferry {
namespace {

// sacreBLEU takes this for log(0), so that a zero precision drives the score to 0.
constexpr double kLogOfZero = -9999999999.0;

struct SentenceNgrams {
  std::array<NgramCounts, kBleuMaxOrder> counts;
  int64_t length = 0;
};

SentenceNgrams sentence_ngrams(std::string_view sentence) {
  const std::string tokenized = tokenize_13a(strip_trailing_space(sentence));
  const std::vector<std::string_view> tokens = split_words(tokenized);
  SentenceNgrams ngrams;
  ngrams.length = static_cast<int64_t>(tokens.size());
  for (int n = 1; n <= kBleuMaxOrder; ++n) ngrams.counts[n - 1] = count_word_ngrams(tokens, n);
  return ngrams;
}

// The reference length closest to the hypothesis length; on a tie, the shorter one.
int64_t closest_reference_length(int64_t hyp_len, const std::vector<int64_t>& ref_lens) {
  int64_t best = ref_lens.front();
  for (const int64_t ref_len : ref_lens) {
    const int64_t distance = std::llabs(hyp_len - ref_len), best_distance = std::llabs(hyp_len - best);
    if (distance < best_distance || (distance == best_distance && ref_len < best)) best = ref_len;
  }
  return best;
}

double log_or_floor(double value) { return value == 0.0 ? kLogOfZero : std::log(value); }

}  // namespace

BleuStats& BleuStats::operator+=(const BleuStats& other) {
  hyp_len += other.hyp_len;
  ref_len += other.ref_len;
  for (int i = 0; i < kBleuMaxOrder; ++i) {
    matches[i] += other.matches[i];
    totals[i] += other.totals[i];
  }
  return *this;
}

std::string BleuScore::format() const {
  char line[256];
  std::snprintf(line, sizeof line,
                "BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %lld ref_len = %lld)",
                score, precisions[0], precisions[1], precisions[2], precisions[3], bp, ratio,
                static_cast<long long>(hyp_len), static_cast<long long>(ref_len));
  return line;
}

BleuStats bleu_sentence_stats(std::string_view hypothesis, const std::vector<std::string_view>& references) {
  // Each reference n-gram counts as often as the reference that holds it most often has it.
  std::array<NgramCounts, kBleuMaxOrder> reference_counts;
  std::vector<int64_t> ref_lens;
  for (const std::string_view reference : usable_references(references)) {
    SentenceNgrams ngrams = sentence_ngrams(reference);
    ref_lens.push_back(ngrams.length);
    for (int i = 0; i < kBleuMaxOrder; ++i) {
      for (const auto& [ngram, count] : ngrams.counts[i]) {
        int64_t& merged = reference_counts[i][ngram];
        merged = std::max(merged, count);
      }
    }
  }

  const SentenceNgrams hyp = sentence_ngrams(hypothesis);
  BleuStats stats;
  stats.hyp_len = hyp.length;
  stats.ref_len = closest_reference_length(hyp.length, ref_lens);
  for (int i = 0; i < kBleuMaxOrder; ++i) {
    stats.totals[i] = total_count(hyp.counts[i]);
    stats.matches[i] = clipped_matches(hyp.counts[i], reference_counts[i]);
  }
  return stats;
}

BleuScore bleu_from_stats(const BleuStats& stats) {
  BleuScore result;
  result.hyp_len = stats.hyp_len;
  result.ref_len = stats.ref_len;
  result.ratio =
      stats.ref_len > 0 ? static_cast<double>(stats.hyp_len) / static_cast<double>(stats.ref_len) : 0.0;
  if (stats.hyp_len < stats.ref_len) {
    result.bp = stats.hyp_len > 0
                    ? std::exp(1.0 - static_cast<double>(stats.ref_len) / static_cast<double>(stats.hyp_len))
                    : 0.0;
  } else {
    result.bp = 1.0;
  }

  const bool any_match =
      std::any_of(stats.matches.begin(), stats.matches.end(), [](int64_t m) { return m > 0; });
  if (!any_match) return result;

  // Exponential smoothing (mteval-v13a's): the k-th order without matches gets precision 1 / (2^k * total).
  double smoothing = 1.0;
  for (int i = 0; i < kBleuMaxOrder; ++i) {
    if (stats.totals[i] == 0) break;  // no n-grams this long: this and higher precisions stay 0
    const double total = static_cast<double>(stats.totals[i]);
    if (stats.matches[i] == 0) {
      smoothing *= 2.0;
      result.precisions[i] = 100.0 / (smoothing * total);
    } else {
      result.precisions[i] = 100.0 * static_cast<double>(stats.matches[i]) / total;
    }
  }
  double log_sum = 0.0;
  for (const double precision : result.precisions) log_sum += log_or_floor(precision);
  result.score = result.bp * std::exp(log_sum / kBleuMaxOrder);
  return result;
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const ReferenceStreams& references) {
  check_streams_align(hypotheses.size(), references);
  BleuStats stats;
  for (size_t line = 0; line < hypotheses.size(); ++line) {
    stats += bleu_sentence_stats(hypotheses[line], references_of_line(references, line));
  }
  return bleu_from_stats(stats);
}

}  // namespace ferry
