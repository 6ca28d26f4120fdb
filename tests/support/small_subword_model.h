// A small SentencePiece model for tests that need real subwords but no trained network.
#pragma once

#include <cstddef>
#include <string>

#include "data/subword.h"

namespace ferry {

// `pieces` subwords learnt from the first `lines` lines of a Multi30k file such as "train.de.gz", each
// cleaned as translation input is; the same model every time.
SubwordModel small_subword_model(const std::string& corpus_file, size_t lines, int pieces);

}  // namespace ferry
