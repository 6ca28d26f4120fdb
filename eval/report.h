// How the evaluate program shows a corpus evaluation: sacreBLEU's score lines, or one JSON object.
#pragma once

#include <string>

#include "eval/evaluation.h"

namespace ferry {

// One sacreBLEU-style line per metric, in the order asked for, each ending in "\n":
// "BLEU = 34.12 65.2/40.1/27.3/19.0 (BP = ...)", "chrF2 = 80.96", "chrF2++ = 81.16".
std::string format_score_lines(const CorpusEvaluation& evaluation);

// One JSON object on one line (ending in "\n"): "sentences", "references" and one object per metric under
// "bleu" (score, precisions, bp, ratio, hyp_len, ref_len, line), "chrf" and "chrf++" (score, char_order,
// word_order, beta, line). Scores are unrounded.
std::string format_json(const CorpusEvaluation& evaluation);

}  // namespace ferry
