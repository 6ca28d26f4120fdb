#include "translate/text_generator.h"

#include <algorithm>

#include "translate/kept_rows.h"
#include "translate/token_sampler.h"
#include "util/error.h"
#include "util/rng.h"
#include "util/special_ids.h"

namespace ferry {
namespace {

// Draws the texts first .. first + count - 1 into `texts`.
void generate_batch(StepScorer& scorer, const TokenIds& prefix, const GenerationOptions& options,
                    int64_t first, int64_t count, std::vector<TokenIds>& texts) {
  std::vector<size_t> active(static_cast<size_t>(count));  // the text of each row still drawing
  std::vector<Rng> rngs;
  for (int64_t i = 0; i < count; ++i) {
    active[static_cast<size_t>(i)] = static_cast<size_t>(first + i);
    rngs.emplace_back(options.sampling.seed, static_cast<uint64_t>(first + i));
  }
  scorer.begin(std::vector<TokenIds>(static_cast<size_t>(count)), 1);
  std::vector<int> tokens(active.size(), kBosId);
  for (int token : prefix) {  // the prefix is fed, not drawn
    scorer.step(tokens);
    std::fill(tokens.begin(), tokens.end(), token);
  }
  std::vector<TokenScore> scratch;
  std::vector<int> kept;
  for (int64_t length = 0; length < options.max_length && !active.empty(); ++length) {
    const Tensor& log_probs = scorer.step(tokens);
    const int64_t vocab = scorer.vocab();
    kept.clear();
    for (size_t row = 0; row < active.size(); ++row) {
      const int token =
          sample_token(log_probs.data() + static_cast<int64_t>(row) * vocab, vocab, options.sampling,
                       rngs[active[row] - static_cast<size_t>(first)], scratch);
      if (token < 0 || token == kEosId) continue;
      texts[active[row]].push_back(token);
      tokens[kept.size()] = token;
      kept.push_back(static_cast<int>(row));
    }
    keep_rows(scorer, kept, active, tokens);
  }
}

}  // namespace

std::vector<TokenIds> generate_texts(StepScorer& scorer, const TokenIds& prefix,
                                     const GenerationOptions& options) {
  FERRY_CHECK(options.samples >= 0 && options.max_length >= 0 && options.batch_size >= 1, InternalError,
              "generation of " << options.samples << " texts of at most " << options.max_length
                               << " tokens in batches of " << options.batch_size);
  std::vector<TokenIds> texts(static_cast<size_t>(options.samples));
  for (int64_t first = 0; first < options.samples; first += options.batch_size)
    generate_batch(scorer, prefix, options, first, std::min(options.batch_size, options.samples - first),
                   texts);
  return texts;
}

}  // namespace ferry
