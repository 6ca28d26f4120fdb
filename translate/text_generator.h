// Generating text with a language model: samples drawn token by token from the model's next-token
// distribution (temperature, top-k and top-p as translate/token_sampler.h), each continuing a given prefix,
// batched through the search's step function.
#pragma once

#include <cstdint>
#include <vector>

#include "translate/search_options.h"
#include "translate/step_scorer.h"

namespace ferry {

struct GenerationOptions {
  int64_t samples = 1;       // texts to draw
  int64_t max_length = 100;  // tokens drawn per text at most (a text that reaches it ends there)
  int64_t batch_size = 32;   // texts drawn together
  SamplingOptions sampling;  // `enabled` is not read
};

// Draws `options.samples` continuations of `prefix` (ids, without <s>), each ending before the </s> it drew
// or at max_length tokens. Sample i draws from Rng(sampling.seed, i): the texts depend on the seed alone,
// not on the batch size. `scorer` must score without a source (a language model).
std::vector<TokenIds> generate_texts(StepScorer& scorer, const TokenIds& prefix,
                                     const GenerationOptions& options);

}  // namespace ferry
