// Small model configurations named by their variant, seeded random parameters and batches of sentences of
// mixed lengths: what the encoder, decoder and model tests are built from.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/param.h"
#include "data/batch.h"
#include "data/subword.h"
#include "model/model_config.h"

namespace ferry {

constexpr int64_t kTestSrcVocab = 11;
constexpr int64_t kTestTgtVocab = 9;

struct EncoderVariant {
  std::string cell;  // lstm, gru, rnn
  int64_t layers;
  bool bidirectional;
  bool residual;
};

struct DecoderVariant {
  std::string cell;  // lstm, gru, rnn
  int64_t layers;
  std::string attention;  // none, dot, general, mlp
  std::string bridge;     // dense, zero
  bool tied;
  bool feeding = false;  // input feeding
};

// Test names: "gru_bi_l2_residual", "lstm_l1_general_dense_tied", "gru_l2_mlp_dense_feed".
std::string variant_name(const EncoderVariant& variant);
std::string variant_name(const DecoderVariant& variant);
void PrintTo(const EncoderVariant& variant, std::ostream* out);
void PrintTo(const DecoderVariant& variant, std::ostream* out);

// Every encoder variant: cells lstm/gru/rnn x one or two directions x 1-3 layers x residual or not (from two
// layers on).
std::vector<EncoderVariant> all_encoder_variants();
// Every decoder variant with `layers` layers: cells lstm/gru/rnn x attention none/dot/general/mlp x bridge
// dense/zero x tied or not, but for attention none with bridge zero (refused by the config); then input
// feeding for each cell and attention with bridge dense, untied.
std::vector<DecoderVariant> all_decoder_variants(int64_t layers);

// Widths that differ from each other wherever the variant allows, so that a swapped or transposed weight
// changes the numbers: source embeddings 4, encoder hidden 3 per direction, decoder hidden 5 (the encoder's
// output width with dot attention), target embeddings 2 (the decoder's hidden when tied).
ModelConfig small_config(const EncoderVariant& encoder, const DecoderVariant& decoder, double dropout = 0.0);
// A language model of `cell` and `layers` with the same widths: embeddings 2 (5 when tied), hidden 5.
ModelConfig small_lm_config(const std::string& cell, int64_t layers, bool tied, double dropout = 0.0);

// Fills every parameter with seeded uniform values in [-scale, scale] and marks it changed.
void randomize_parameters(ParamRegistry& params, uint64_t seed, float scale = 0.5f);
// Marks every parameter changed (after its values were edited in place).
void mark_changed(ParamRegistry& params);

// Sentences of the given lengths with ids drawn from [4, vocab) (no special ids).
std::vector<TokenIds> random_sentences(const std::vector<int>& lengths, int64_t vocab, uint64_t seed);
// The batch of the pairs (src[i], tgt[i]), columns in that order.
Batch batch_of(const std::vector<TokenIds>& src, const std::vector<TokenIds>& tgt);
// Random pairs of the given lengths (without </s>).
Batch random_batch(const std::vector<int>& src_lengths, const std::vector<int>& tgt_lengths, uint64_t seed);

// The first `length` ids of column n of a time-major {T, N} id matrix with N = batch_size.
std::vector<int> column_ids(const std::vector<int>& ids, int64_t batch_size, int64_t n, int length);

}  // namespace ferry
