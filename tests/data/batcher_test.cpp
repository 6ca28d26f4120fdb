#include "data/batcher.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "data/batch.h"
#include "data/corpus.h"
#include "data/dataset.h"
#include "data/subword.h"
#include "support/corpus.h"
#include "util/rng.h"

namespace ferry {
namespace {

// A synthetic corpus with lengths spread like real text.
EncodedCorpus synthetic_corpus(size_t n, uint64_t seed) {
  Rng rng(seed);
  EncodedCorpus c;
  for (size_t i = 0; i < n; ++i) {
    c.src.push_back(TokenIds(1 + rng.below(40), 7));
    c.tgt.push_back(TokenIds(1 + rng.below(40), 9));
  }
  return c;
}

TEST(Batcher, EveryPairOncePerEpochUnderTheBudget) {
  const EncodedCorpus corpus = synthetic_corpus(3000, 1);
  Batcher batcher(corpus, 400, 7);
  for (int64_t epoch = 1; epoch <= 3; ++epoch) {
    std::vector<int> seen(corpus.size(), 0);
    for (const auto& indices : batcher.plan(epoch)) {
      ASSERT_FALSE(indices.empty());
      size_t longest = 0;
      for (size_t i : indices) {
        ++seen[i];
        longest = std::max(longest, corpus.tgt[i].size() + 1);
      }
      EXPECT_LE(longest * indices.size(), 400u);
    }
    for (int count : seen) ASSERT_EQ(count, 1);
  }
}

TEST(Batcher, LongPairGetsABatchOfItsOwn) {
  EncodedCorpus corpus;
  corpus.src = {TokenIds(5, 7), TokenIds(5, 7), TokenIds(5, 7)};
  corpus.tgt = {TokenIds(3, 9), TokenIds(50, 9), TokenIds(3, 9)};
  Batcher batcher(corpus, 10, 1);
  const BatchPlan plan = batcher.plan(1);
  ASSERT_EQ(plan.size(), 2u);
  for (const auto& b : plan) {
    if (std::find(b.begin(), b.end(), 1u) != b.end()) {
      EXPECT_EQ(b.size(), 1u);
    }
  }
}

TEST(Batcher, SameSeedSameBatchesOtherSeedOrEpochOtherOrder) {
  const EncodedCorpus corpus = synthetic_corpus(2000, 2);
  Batcher a(corpus, 500, 11), b(corpus, 500, 11), c(corpus, 500, 12);
  EXPECT_EQ(a.plan(1), b.plan(1));
  EXPECT_EQ(a.plan(4), b.plan(4));
  EXPECT_NE(a.plan(1), c.plan(1));
  EXPECT_NE(a.plan(1), a.plan(2));
}

// The plan as a naive reference makes it: the pairs shuffled, sorted stably by (target, source) length with a
// comparison sort, cut greedily under the budget, the batches shuffled.
BatchPlan reference_plan(const EncodedCorpus& corpus, int64_t batch_tokens, uint64_t seed, int64_t epoch) {
  std::vector<size_t> order(corpus.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(seed, static_cast<uint64_t>(epoch));
  rng.shuffle(order);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const size_t ta = corpus.tgt.length(a), tb = corpus.tgt.length(b);
    return ta != tb ? ta < tb : corpus.src.length(a) < corpus.src.length(b);
  });
  BatchPlan batches;
  std::vector<size_t> current;
  size_t longest = 0;
  for (size_t index : order) {
    const size_t length = corpus.tgt.length(index) + 1;
    if (!current.empty() && std::max(longest, length) * (current.size() + 1) > static_cast<size_t>(batch_tokens)) {
      batches.push_back(current);
      current.clear();
      longest = 0;
    }
    current.push_back(index);
    longest = std::max(longest, length);
  }
  if (!current.empty()) batches.push_back(current);
  rng.shuffle(batches);
  return batches;
}

TEST(Batcher, PlanIsTheReferencePlan) {
  EncodedCorpus corpus = synthetic_corpus(3000, 5);
  corpus.src.push_back(TokenIds(700, 1));  // longer than the budget, and far longer than the rest
  corpus.tgt.push_back(TokenIds(600, 2));
  corpus.src.push_back(TokenIds{});
  corpus.tgt.push_back(TokenIds{});
  for (const int64_t epoch : {1, 2, 7}) {
    const Batcher batcher(corpus, 500, 3);
    EXPECT_EQ(batcher.plan(epoch), reference_plan(corpus, 500, 3, epoch)) << "epoch " << epoch;
  }
}

TEST(Batcher, PaddingOnMulti30kBelowTenPercent) {
  // The reference model's data: all of Multi30k's training pairs in SentencePiece subwords (models of up to
  // 8000 pieces, trained on the first 10000 pairs to save time), 1000-token batches.
  const ParallelCorpus pairs =
      read_corpus({multi30k_file("train.de.gz"), multi30k_file("train.en.gz"), ""});
  SubwordConfig config;
  config.size = 8000;
  const auto trained = [&](const std::vector<std::string>& lines, const std::string& name) {
    const std::vector<std::string> first(lines.begin(), lines.begin() + 10000);
    return SubwordModel::from_bytes(SubwordModel::train(first, config, 1, 2), name);
  };
  const SubwordModel src = trained(pairs.src, "de"), tgt = trained(pairs.tgt, "en");
  const EncodedCorpus corpus = encode_corpus(pairs, src, tgt, 100);
  ASSERT_GT(corpus.size(), 28000u);
  Batcher batcher(corpus, 1000, 1);
  int64_t cells = 0, tokens = 0;
  for (const auto& indices : batcher.plan(1)) {
    const Batch batch = make_batch(corpus, indices);
    cells += batch.size * (batch.src_steps + batch.tgt_steps);
    tokens += batch.src_tokens() + batch.tgt_tokens();
  }
  const double padding = 1.0 - static_cast<double>(tokens) / static_cast<double>(cells);
  EXPECT_LT(padding, 0.10);
}

TEST(Batch, LayoutIsTimeMajorLeftAlignedWithSpecials) {
  EncodedCorpus corpus;
  corpus.src = {{10, 11, 12}, {20}};
  corpus.tgt = {{30}, {40, 41}};
  const Batch b = make_batch(corpus, {0, 1});
  EXPECT_EQ(b.size, 2);
  EXPECT_EQ(b.src_steps, 4);
  EXPECT_EQ(b.tgt_steps, 3);
  EXPECT_EQ(b.src, (std::vector<int>{10, 20, 11, kEosId, 12, kPadId, kEosId, kPadId}));
  EXPECT_EQ(b.tgt_in, (std::vector<int>{kBosId, kBosId, 30, 40, kPadId, 41}));
  EXPECT_EQ(b.tgt_out, (std::vector<int>{30, 40, kEosId, 41, kPadId, kEosId}));
  EXPECT_EQ(b.src_lengths, (std::vector<int>{4, 2}));
  EXPECT_EQ(b.tgt_lengths, (std::vector<int>{2, 3}));
  EXPECT_EQ(b.src_tokens(), 6);
  EXPECT_EQ(b.tgt_tokens(), 5);
  EXPECT_NEAR(b.padding_fraction(), 1.0 - 11.0 / 14.0, 1e-12);
}

// The shares of a data-parallel batch: every pair in exactly one, in order, sizes within one of each other;
// the batch's tokens counted from lengths alone.
TEST(Batch, SharesSplitTheBatchInOrder) {
  const EncodedCorpus corpus = synthetic_corpus(40, 5);
  const std::vector<size_t> indices = {3, 17, 8, 29, 0, 11, 25};
  EXPECT_EQ(target_tokens(corpus, indices), make_batch(corpus, indices).tgt_tokens());
  EXPECT_EQ(target_tokens(corpus, {}), 0);
  for (int64_t processes : {1, 2, 3, 7, 9}) {
    std::vector<size_t> joined;
    int64_t tokens = 0;
    for (int64_t rank = 0; rank < processes; ++rank) {
      const std::vector<size_t> share = share_of(indices, rank, processes);
      EXPECT_LE(share.size(), indices.size() / processes + 1) << processes;
      EXPECT_GE(share.size(), indices.size() / processes) << processes;
      joined.insert(joined.end(), share.begin(), share.end());
      tokens += target_tokens(corpus, share);
    }
    EXPECT_EQ(joined, indices) << processes;
    EXPECT_EQ(tokens, target_tokens(corpus, indices)) << processes;
  }
}

}  // namespace
}  // namespace ferry
