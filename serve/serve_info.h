// GET /info's answer: what the server serves and how.
#pragma once

#include <string>

#include "serve/serve_options.h"
#include "translate/decode_config.h"
#include "translate/model_set.h"

namespace ferry {

// {"models": [...], "source_vocab_size": ..., "target_vocab_size": ..., "precision": "f32", "decoding":
// {...}, "limits": {...}, "threads": ...}
std::string serve_info_json(const std::vector<std::string>& model_files, const ModelSet& models,
                            const DecodeConfig& decoding, const ServeOptions& options);

}  // namespace ferry
