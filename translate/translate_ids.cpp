#include "translate/translate_ids.h"

#include "translate/model_scorer.h"
#include "translate/search_options.h"
#include "translate/translator.h"

namespace ferry {

std::vector<TokenIds> translate_ids(Seq2Seq& network, const std::vector<TokenIds>& sources,
                                    const DecodeConfig& config) {
  ModelScorer scorer(network);
  BatchLimits limits;
  limits.sentences = config.batch_size;
  SearchOptions search = search_options(config);
  search.scores = false;  // only the tokens are returned
  Translator translator(scorer, search, limits);
  std::vector<TokenIds> best;
  best.reserve(sources.size());
  for (NBest& n_best : translator.translate(sources))
    best.push_back(n_best.empty() ? TokenIds{} : std::move(n_best.front().tokens));
  return best;
}

}  // namespace ferry
