#include "translate/alignment.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "util/error.h"

namespace ferry {
namespace {

int count_words(const std::vector<int>& word_of_piece) {
  int words = 0;
  for (int w : word_of_piece) words = std::max(words, w + 1);
  return words;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

AlignmentKind parse_alignment_kind(const std::string& name) {
  if (name == "hard") return AlignmentKind::kHard;
  if (name == "soft") return AlignmentKind::kSoft;
  FERRY_THROW(InputError, "unknown alignment kind '" << name << "' (choose hard or soft)");
}

std::vector<int> word_of_pieces(const std::string& text, const std::vector<size_t>& piece_ends) {
  // The word of every character (-1 for spaces).
  std::vector<int> word_at(text.size(), -1);
  int words = 0;
  for (size_t c = 0; c < text.size(); ++c) {
    if (is_space(text[c])) continue;
    if (c == 0 || is_space(text[c - 1])) ++words;
    word_at[c] = words - 1;
  }
  std::vector<int> word_of(piece_ends.size(), -1);
  size_t begin = 0;
  for (size_t i = 0; i < piece_ends.size(); ++i) {
    const size_t end = std::min(std::max(piece_ends[i], begin), text.size());
    for (size_t c = begin; c < end && word_of[i] < 0; ++c) word_of[i] = word_at[c];
    begin = end;
  }
  // Pieces of spaces only: the next word, or at the end the last one.
  int next = words - 1;
  for (size_t i = word_of.size(); i-- > 0;) {
    if (word_of[i] < 0) word_of[i] = next;
    next = word_of[i];
  }
  return word_of;
}

std::vector<int> word_of_tokens(const SubwordModel& vocab, const TokenIds& ids) {
  std::vector<size_t> ends;
  TokenIds prefix;
  for (int id : ids) {
    prefix.push_back(id);
    ends.push_back(vocab.decode(prefix).size());
  }
  return word_of_pieces(vocab.decode(ids), ends);
}

std::vector<std::vector<double>> word_alignment(const std::vector<float>& attention,
                                                const std::vector<int>& source_words,
                                                const std::vector<int>& target_words) {
  const size_t source_pieces = source_words.size(), target_pieces = target_words.size();
  const size_t columns = source_pieces + 1;
  FERRY_CHECK(attention.size() == (target_pieces + 1) * columns, InternalError,
              "alignment: " << attention.size() << " weights for " << target_pieces << " target and "
                            << source_pieces << " source pieces");
  if (count_words(source_words) == 0 || count_words(target_words) == 0) return {};
  std::vector<std::vector<double>> words(
      static_cast<size_t>(count_words(target_words)),
      std::vector<double>(static_cast<size_t>(count_words(source_words)), 0.0));
  std::vector<int> pieces_per_word(words.size(), 0);
  for (size_t j = 0; j < target_pieces; ++j) {
    const float* row = attention.data() + j * columns;
    double total = 0;
    for (size_t i = 0; i < source_pieces; ++i) total += row[i];
    std::vector<double>& target_row = words[static_cast<size_t>(target_words[j])];
    for (size_t i = 0; i < source_pieces; ++i)
      target_row[static_cast<size_t>(source_words[i])] += total > 0 ? row[i] / total : 1.0 / source_pieces;
    ++pieces_per_word[static_cast<size_t>(target_words[j])];
  }
  for (size_t w = 0; w < words.size(); ++w) {
    // A word no piece starts in (a piece spanning a space) gets uniform weights.
    if (pieces_per_word[w] == 0) std::fill(words[w].begin(), words[w].end(), 1.0 / words[w].size());
    for (double& weight : words[w]) weight /= std::max(pieces_per_word[w], 1);
  }
  return words;
}

std::string format_hard_alignment(const std::vector<std::vector<double>>& words) {
  std::string text;
  for (size_t j = 0; j < words.size(); ++j) {
    size_t best = 0;
    for (size_t i = 1; i < words[j].size(); ++i)
      if (words[j][i] > words[j][best]) best = i;
    if (!text.empty()) text += ' ';
    text += std::to_string(best) + "-" + std::to_string(j);
  }
  return text;
}

std::string format_soft_alignment(const std::vector<std::vector<double>>& words) {
  std::string text;
  char number[32];
  for (size_t j = 0; j < words.size(); ++j) {
    if (j > 0) text += ' ';
    for (size_t i = 0; i < words[j].size(); ++i) {
      if (i > 0) text += ',';
      std::snprintf(number, sizeof number, "%.4f", words[j][i]);
      text += number;
    }
  }
  return text;
}

}  // namespace ferry
