#include "data/word_sample.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry {
namespace {

std::vector<std::string> numbered_lines(int count) {
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i) lines.push_back("line" + std::to_string(i));
  return lines;
}

TEST(WordSample, CountsTheWordsOfEveryLineWhenTheSampleHoldsThemAll) {
  const std::vector<std::string> lines = {"a dog  runs", "\ta\tdog ", "", "cat"};
  VectorLines source(lines);
  const WordSample sample = sample_words(source, 10, 1);
  EXPECT_EQ(sample.lines_read, 4);
  EXPECT_EQ(sample.lines_sampled, 4);
  const std::vector<std::pair<std::string, int64_t>> expected = {{"a", 2}, {"cat", 1}, {"dog", 2}, {"runs", 1}};
  EXPECT_EQ(sample.words, expected);
}

TEST(WordSample, ALargerSourceIsSampledTheSameForTheSameSeed) {
  const std::vector<std::string> lines = numbered_lines(1000);
  VectorLines first(lines), again(lines), other(lines);
  const WordSample sample = sample_words(first, 100, 7);
  EXPECT_EQ(sample.lines_read, 1000);
  EXPECT_EQ(sample.lines_sampled, 100);
  EXPECT_EQ(sample.words.size(), 100u) << "each line is one distinct word";
  EXPECT_EQ(sample_words(again, 100, 7).words, sample.words);
  EXPECT_NE(sample_words(other, 100, 8).words, sample.words);
}

// Every line is as likely to be kept, wherever it stands: over 400 seeds, 10 of 100 lines each, the first and
// the last 20 lines are each kept about 800 times (binomial, standard deviation about 27).
TEST(WordSample, EveryLineIsAsLikelyToBeKept) {
  const std::vector<std::string> lines = numbered_lines(100);
  int first = 0, last = 0;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    VectorLines source(lines);
    for (const auto& [word, count] : sample_words(source, 10, seed).words) {
      const int index = std::stoi(word.substr(4));
      first += index < 20;
      last += index >= 80;
    }
  }
  EXPECT_NEAR(first, 800, 120);
  EXPECT_NEAR(last, 800, 120);
}

}  // namespace
}  // namespace ferry
