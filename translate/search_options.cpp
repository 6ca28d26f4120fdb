#include "translate/search_options.h"

#include <cmath>

#include "util/error.h"

namespace ferry {

SearchOptions search_options(const DecodeConfig& config) {
  SearchOptions options;
  options.beam_size = config.beam_size;
  options.normalization = parse_normalization(config.normalize);
  options.length_penalty = config.length_penalty;
  options.max_length_factor = config.max_length_factor;
  options.max_length_offset = config.max_length_offset;
  return options;
}

LengthNormalization parse_normalization(const std::string& name) {
  if (name == "gnmt") return LengthNormalization::kGnmt;
  if (name == "length") return LengthNormalization::kLength;
  if (name == "none") return LengthNormalization::kNone;
  FERRY_THROW(InputError, "unknown length normalisation '" << name << "' (choose gnmt, length or none)");
}

void check_search_options(const SearchOptions& options) {
  FERRY_CHECK(options.beam_size >= 1 && options.length_penalty >= 0 && options.max_length_factor > 0 &&
                  options.max_length_offset >= 0,
              InternalError,
              "search options outside the decoding section's bounds: beam size "
                  << options.beam_size << ", length penalty " << options.length_penalty
                  << ", max length factor " << options.max_length_factor << ", max length offset "
                  << options.max_length_offset);
  FERRY_CHECK(options.n_best >= 1, InputError, "n-best must be at least 1, not " << options.n_best);
  FERRY_CHECK(options.sampling.enabled || options.n_best <= options.beam_size, InputError,
              "n-best " << options.n_best << " needs a beam size of at least " << options.n_best << ", not "
                        << options.beam_size);
  FERRY_CHECK(options.sampling.temperature > 0, InputError,
              "temperature must be positive, not " << options.sampling.temperature);
  FERRY_CHECK(options.sampling.top_k >= 0, InputError,
              "top-k must not be negative, not " << options.sampling.top_k);
  FERRY_CHECK(options.sampling.top_p > 0.0 && options.sampling.top_p <= 1.0, InputError,
              "top-p must be in (0, 1], not " << options.sampling.top_p);
}

double normalized_score(double log_prob, int64_t length, const SearchOptions& options) {
  switch (options.normalization) {
    case LengthNormalization::kLength:
      return log_prob / static_cast<double>(length);
    case LengthNormalization::kGnmt:
      return log_prob / std::pow((5.0 + static_cast<double>(length)) / 6.0, options.length_penalty);
    case LengthNormalization::kNone:
      break;
  }
  return log_prob;
}

int64_t max_output_length(int64_t source_length, const SearchOptions& options) {
  return static_cast<int64_t>(options.max_length_factor * static_cast<double>(source_length)) +
         options.max_length_offset;
}

}  // namespace ferry
