// Word alignments from a hypothesis's attention weights. Words are SentencePiece word groups: a piece that
// begins with "▁" starts a new word, any other piece continues the word before it; these are the
// whitespace-separated words of the cleaned source line and of the translation. The source's and the
// target's </s> take no part.
#pragma once

#include <string>
#include <vector>

namespace ferry {

enum class AlignmentKind { kNone, kHard, kSoft };

// "hard" or "soft"; InputError listing the choices otherwise.
AlignmentKind parse_alignment_kind(const std::string& name);

// The 0-based word each piece belongs to.
std::vector<int> word_of_pieces(const std::vector<std::string>& pieces);

// {target words} rows of {source words} weights. attention: {target pieces + 1, source pieces + 1} row-major
// (</s> last on both sides); source_words / target_words: word_of_pieces of each side. Each target piece's
// weights over the source pieces are renormalised without the source </s> (uniform if all were there),
// summed per source word and averaged over the pieces of the target word: every row sums to 1. Empty when
// either side has no piece.
std::vector<std::vector<double>> word_alignment(const std::vector<float>& attention,
                                                const std::vector<int>& source_words,
                                                const std::vector<int>& target_words);

// Moses style "i-j" pairs, j ascending: each target word j with the source word i it attends to most (ties to
// the lower i), separated by spaces.
std::string format_hard_alignment(const std::vector<std::vector<double>>& words);
// One group per target word, separated by spaces; each its weights over the source words, comma-separated,
// with 4 decimals: "0.9000,0.1000 0.2500,0.7500".
std::string format_soft_alignment(const std::vector<std::vector<double>>& words);

}  // namespace ferry
