// Corpus-level BLEU exactly as sacreBLEU 2.x computes it by default: 13a tokenisation, case-sensitive,
// n-grams of 1 to 4 words, exponential smoothing, brevity penalty against the closest reference length.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eval/references.h"

namespace ferry {

constexpr int kBleuMaxOrder = 4;

// Sufficient statistics of BLEU. Those of single sentences add up to those of the corpus, so callers can
// accumulate them (e.g. during validation) and score once at the end.
struct BleuStats {
  int64_t hyp_len = 0;  // hypothesis tokens
  int64_t ref_len = 0;  // tokens of the reference closest in length to the hypothesis
  std::array<int64_t, kBleuMaxOrder> matches{};  // clipped n-gram matches for n = 1..4
  std::array<int64_t, kBleuMaxOrder> totals{};   // hypothesis n-grams for n = 1..4

  BleuStats& operator+=(const BleuStats& other);
};

struct BleuScore {
  double score = 0.0;                              // 0..100
  std::array<double, kBleuMaxOrder> precisions{};  // percent, n = 1..4, after smoothing
  double bp = 0.0;                                 // brevity penalty
  double ratio = 0.0;                              // hyp_len / ref_len, 0 when ref_len is 0
  int64_t hyp_len = 0;
  int64_t ref_len = 0;

  // sacreBLEU's line, e.g. "BLEU = 34.12 65.2/40.1/27.3/19.0 (BP = 0.981 ratio = 0.981 hyp_len = 12345
  // ref_len = 12580)" (on one line).
  std::string format() const;
};

// Statistics of one detokenised hypothesis against its detokenised references (see usable_references for
// empty ones). A reference n-gram may be matched as often as the reference holding it most often has it.
BleuStats bleu_sentence_stats(std::string_view hypothesis, const std::vector<std::string_view>& references);

// The score of (summed) statistics.
BleuScore bleu_from_stats(const BleuStats& stats);

// BLEU of hypotheses[i] against line i of every reference stream; InputError if the streams do not align.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const ReferenceStreams& references);

}  // namespace ferry
