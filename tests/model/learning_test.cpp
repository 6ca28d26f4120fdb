// Learning works end to end: a small model trained with Adam on the first 50 Multi30k pairs (as word ids)
// fits them, its loss per target token falling from about log V to below 0.1.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/optim/adam.h"
#include "core/optim/clip.h"
#include "model/seq2seq.h"
#include "support/corpus.h"
#include "support/model_case.h"
#include "support/thread_count.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

// Lines as ids of their space-separated words, numbered in order of first appearance after the special ids.
class WordIds {
 public:
  std::vector<TokenIds> encode(const std::vector<std::string>& lines) {
    std::vector<TokenIds> sentences;
    for (const std::string& line : lines) {
      std::istringstream words(line);
      TokenIds ids;
      for (std::string word; words >> word;) ids.push_back(ids_.emplace(word, size()).first->second);
      sentences.push_back(ids);
    }
    return sentences;
  }
  // Special ids included.
  int64_t size() const { return kEosId + 1 + static_cast<int64_t>(ids_.size()); }

 private:
  std::map<std::string, int> ids_;
};

double loss_per_token(Seq2Seq& model, const Batch& batch, bool training) {
  const LossSum loss = model.forward(batch, training);
  return loss.loss / static_cast<double>(loss.tokens);
}

TEST(Seq2SeqLearning, FitsFiftyMulti30kPairs) {
  // One thread: hundreds of small passes, each a long chain of OpenMP parallel regions whose barriers cost
  // more than their work, and far more on cores shared with other jobs. Threading is what the other tests
  // exercise; this one is about learning.
  ScopedThreadCount one_thread(1);
  constexpr size_t kPairs = 50;
  WordIds src_words, tgt_words;
  const std::vector<TokenIds> src = src_words.encode(multi30k_lines("train.de.gz", kPairs));
  const std::vector<TokenIds> tgt = tgt_words.encode(multi30k_lines("train.en.gz", kPairs));
  const Batch batch = batch_of(src, tgt);

  ModelConfig config;
  config.embedding = {32, 32, false};
  config.encoder = {CellKind::kLstm, 1, 32, true, false, 0.0, false};
  config.decoder = {CellKind::kLstm, 1, 64, AttentionKind::kGeneral, BridgeKind::kDense, 0.0, false};
  Seq2Seq model(config, src_words.size(), tgt_words.size(), 1);
  Adam adam(model.params(), AdamOptions{0.01f});

  const double initial = loss_per_token(model, batch, false);
  EXPECT_GT(initial, 0.8 * std::log(static_cast<double>(tgt_words.size())));
  for (int step = 0; step < 300; ++step) {
    model.params().zero_grads();
    model.forward(batch, true);
    model.backward();
    adam.step(clip_factor(global_grad_norm(model.params()), 5.0));
  }
  EXPECT_LT(loss_per_token(model, batch, false), 0.1) << "from " << initial;
}

}  // namespace
}  // namespace ferry
