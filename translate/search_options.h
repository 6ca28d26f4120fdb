// What a search is asked for: how many hypotheses, how they are compared, how long they may grow, and
// whether tokens are chosen by score (beam, greedy) or drawn (sampling).
#pragma once

#include <cstdint>
#include <string>

#include "translate/decode_config.h"

namespace ferry {

// How finished hypotheses of different lengths are compared; len counts the tokens including </s>.
enum class LengthNormalization {
  kNone,    // the log-probability itself
  kLength,  // log-probability / len
  kGnmt,    // log-probability / ((5 + len) / 6)^alpha (Wu et al. 2016)
};

struct SamplingOptions {
  bool enabled = false;
  double temperature = 1.0;  // probabilities proportional to p^(1 / temperature)
  int64_t top_k = 0;         // draw among the k most probable tokens (0: all)
  double top_p = 1.0;        // then among the fewest most probable whose probability adds up to p (1: all)
  uint64_t seed = 1;         // with the sentence's key, fixes its draws whatever the batch
};

struct SearchOptions {
  int64_t beam_size = 5;  // rows per sentence; with sampling, the number of independent samples
  int64_t n_best = 1;     // hypotheses returned per sentence (at most beam_size)
  LengthNormalization normalization = LengthNormalization::kGnmt;
  double length_penalty = 0.6;  // alpha of kGnmt
  double max_length_factor = 2.0;
  int64_t max_length_offset = 10;
  bool keep_attention = false;  // return each hypothesis's attention weights
  // Whether hypotheses carry their log-probability and score. Without them a greedy search asks a scorer
  // that can (StepScorer::picks_best) for each row's best token alone, and both are NaN.
  bool scores = true;
  SamplingOptions sampling;
};

// The search part of a decoding config (n-best 1, no attention, no sampling).
SearchOptions search_options(const DecodeConfig& config);
// "gnmt", "length" or "none"; InputError listing the choices for anything else.
LengthNormalization parse_normalization(const std::string& name);
// InputError naming the first inconsistent or out-of-range option of those the decoding section does not
// hold (n-best, sampling); the section's own keys are checked where it is read (read_decode_config), and
// here only as the search's invariants.
void check_search_options(const SearchOptions& options);

// The score a finished hypothesis is ranked by: its log-probability normalised for `length` (tokens with
// </s>).
double normalized_score(double log_prob, int64_t length, const SearchOptions& options);
// Most tokens (</s> excluded) an output for a source of `source_length` subwords may have.
int64_t max_output_length(int64_t source_length, const SearchOptions& options);

}  // namespace ferry
