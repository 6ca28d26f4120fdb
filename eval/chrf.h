// Corpus-level chrF (character n-gram F-score) and chrF++ (plus word n-grams) exactly as sacreBLEU 2.x
// computes them by default: whitespace removed, character n-grams up to 6 counted over Unicode code
// points, beta 2, precision and recall averaged over the n-gram orders that occur; against several
// references, each sentence takes the statistics of the reference it scores best against.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eval/references.h"

namespace ferry {

struct ChrfOptions {
  int char_order = 6;  // character n-grams of 1..char_order code points
  int word_order = 0;  // word n-grams of 1..word_order words; 2 makes chrF++
  int beta = 2;        // weight of recall against precision
};

ChrfOptions chrf_options();            // chrF: 6 / 0 / 2
ChrfOptions chrf_plus_plus_options();  // chrF++: 6 / 2 / 2

// Counts of one n-gram order.
struct NgramMatchCounts {
  int64_t hyp = 0;    // hypothesis n-grams (0 when the reference has none of this order)
  int64_t ref = 0;    // reference n-grams
  int64_t match = 0;  // hypothesis n-grams the reference covers, clipped
};

// Sufficient statistics of chrF; those of single sentences add up to those of the corpus.
struct ChrfStats {
  std::vector<NgramMatchCounts> orders;  // character orders 1..char_order, then word orders 1..word_order

  // Adds `other` order by order; an empty (default) ChrfStats takes other's shape.
  ChrfStats& operator+=(const ChrfStats& other);
};

struct ChrfScore {
  double score = 0.0;  // 0..100
  int char_order = 6;
  int word_order = 0;
  int beta = 2;

  std::string name() const;    // "chrF2", or "chrF2++" with two word orders
  std::string format() const;  // sacreBLEU's line, e.g. "chrF2 = 80.96"
};

// The words chrF++ counts: whitespace-separated words, each with one ASCII punctuation character split off
// its end or else its start ("(hi)" gives "(hi" and ")"), as sacreBLEU does it.
std::vector<std::string_view> chrf_words(std::string_view sentence);

// Statistics of one hypothesis against its references (see usable_references for empty ones).
ChrfStats chrf_sentence_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const ChrfOptions& options);

// The score of (summed) statistics gathered with the same options.
ChrfScore chrf_from_stats(const ChrfStats& stats, const ChrfOptions& options);

// chrF of hypotheses[i] against line i of every reference stream; InputError if the streams do not align.
ChrfScore corpus_chrf(const std::vector<std::string>& hypotheses, const ReferenceStreams& references,
                      const ChrfOptions& options);

}  // namespace ferry
