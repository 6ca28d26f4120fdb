// Translation without text: source ids in, best hypotheses' ids out. What validation during training calls.
#pragma once

#include <vector>

#include "data/subword.h"
#include "model/seq2seq.h"
#include "translate/decode_config.h"

namespace ferry {

// The best hypothesis (ids without specials) for each source (ids without specials), in the sources' order,
// searched as `config` says (beam size, length normalisation, max length, batch size). Empty sources give
// empty hypotheses. Uses the network's inference path only; its parameters are not changed.
std::vector<TokenIds> translate_ids(Seq2Seq& network, const std::vector<TokenIds>& sources,
                                    const DecodeConfig& config);

}  // namespace ferry
