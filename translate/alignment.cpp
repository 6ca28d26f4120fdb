#include "translate/alignment.h"

#include <cstdio>

#include "util/error.h"

namespace ferry {
namespace {

const std::string kWordStart = "\xE2\x96\x81";  // U+2581, SentencePiece's word boundary mark

int count_words(const std::vector<int>& word_of_piece) {
  return word_of_piece.empty() ? 0 : word_of_piece.back() + 1;
}

}  // namespace

AlignmentKind parse_alignment_kind(const std::string& name) {
  if (name == "hard") return AlignmentKind::kHard;
  if (name == "soft") return AlignmentKind::kSoft;
  FERRY_THROW(InputError, "unknown alignment kind '" << name << "' (choose hard or soft)");
}

std::vector<int> word_of_pieces(const std::vector<std::string>& pieces) {
  std::vector<int> words;
  words.reserve(pieces.size());
  int word = -1;
  for (const std::string& piece : pieces) {
    if (word < 0 || piece.compare(0, kWordStart.size(), kWordStart) == 0) ++word;
    words.push_back(word);
  }
  return words;
}

std::vector<std::vector<double>> word_alignment(const std::vector<float>& attention,
                                                const std::vector<int>& source_words,
                                                const std::vector<int>& target_words) {
  const size_t source_pieces = source_words.size(), target_pieces = target_words.size();
  const size_t columns = source_pieces + 1;
  FERRY_CHECK(attention.size() == (target_pieces + 1) * columns, InternalError,
              "alignment: " << attention.size() << " weights for " << target_pieces << " target and "
                            << source_pieces << " source pieces");
  if (source_pieces == 0 || target_pieces == 0) return {};
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
  for (size_t w = 0; w < words.size(); ++w)
    for (double& weight : words[w]) weight /= pieces_per_word[w];
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
