// Word alignments from a hypothesis's attention weights, between the whitespace-separated words of the
// source as the model read it (the cleaned input line) and of the translation as written. The source's and
// the target's </s> take no part.
#pragma once

#include <string>
#include <vector>

#include "data/subword.h"

namespace ferry {

enum class AlignmentKind { kNone, kHard, kSoft };

// "hard" or "soft"; InputError listing the choices otherwise.
AlignmentKind parse_alignment_kind(const std::string& name);

// The 0-based word of `text` each piece belongs to, given where each piece's surface ends in `text`
// (piece_ends non-decreasing). A piece belongs to the word of its first non-space character; a piece of
// spaces only to the next word (the last word when none follows); -1 when the text has no word.
std::vector<int> word_of_pieces(const std::string& text, const std::vector<size_t>& piece_ends);
// word_of_pieces for the ids' pieces in the text vocab.decode(ids) gives, each piece's end found by decoding
// the ids up to it.
std::vector<int> word_of_tokens(const SubwordModel& vocab, const TokenIds& ids);

// {target words} rows of {source words} weights. attention: {target pieces + 1, source pieces + 1} row-major
// (</s> last on both sides); source_words / target_words: word_of_tokens of each side. Each target piece's
// weights over the source pieces are renormalised without the source </s> (uniform if all were there),
// summed per source word and averaged over the pieces of the target word (uniform for a word no piece
// starts in): every row sums to 1. Empty when either side has no word.
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
