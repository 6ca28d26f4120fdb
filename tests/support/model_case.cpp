#include "support/model_case.h"

#include "data/dataset.h"
#include "support/numeric.h"
#include "util/rng.h"
#include "util/special_ids.h"

namespace ferry {

std::string variant_name(const EncoderVariant& v) {
  return v.cell + (v.bidirectional ? "_bi" : "_uni") + "_l" + std::to_string(v.layers) +
         (v.residual ? "_residual" : "");
}

std::string variant_name(const DecoderVariant& v) {
  return v.cell + "_l" + std::to_string(v.layers) + "_" + v.attention + "_" + v.bridge +
         (v.tied ? "_tied" : "") + (v.feeding ? "_feed" : "");
}

void PrintTo(const EncoderVariant& variant, std::ostream* out) { *out << variant_name(variant); }
void PrintTo(const DecoderVariant& variant, std::ostream* out) { *out << variant_name(variant); }

std::vector<EncoderVariant> all_encoder_variants() {
  std::vector<EncoderVariant> variants;
  for (const char* cell : {"lstm", "gru", "rnn"}) {
    for (bool bidirectional : {true, false}) {
      for (int64_t layers : {1, 2, 3}) {
        variants.push_back({cell, layers, bidirectional, false});
        if (layers > 1) variants.push_back({cell, layers, bidirectional, true});
      }
    }
  }
  return variants;
}

std::vector<DecoderVariant> all_decoder_variants(int64_t layers) {
  std::vector<DecoderVariant> variants;
  for (const char* cell : {"lstm", "gru", "rnn"}) {
    for (const char* attention : {"none", "dot", "general", "mlp"}) {
      for (const char* bridge : {"dense", "zero"}) {
        // A decoder with neither sees nothing of the source: the config refuses it.
        if (std::string(attention) == "none" && std::string(bridge) == "zero") continue;
        for (bool tied : {false, true}) variants.push_back({cell, layers, attention, bridge, tied});
      }
    }
  }
  for (const char* cell : {"lstm", "gru", "rnn"}) {
    for (const char* attention : {"dot", "general", "mlp"})
      variants.push_back({cell, layers, attention, "dense", false, true});
  }
  return variants;
}

ModelConfig small_config(const EncoderVariant& encoder, const DecoderVariant& decoder, double dropout) {
  ModelConfig c;
  c.embedding.src_dim = 4;
  c.encoder = {parse_cell(encoder.cell), encoder.layers, 3,    encoder.bidirectional,
               encoder.residual,         dropout,        false};
  const int64_t hidden = decoder.attention == "dot" ? c.encoder.output_dim() : 5;
  c.decoder = {parse_cell(decoder.cell),     decoder.layers, hidden, parse_attention(decoder.attention),
               parse_bridge(decoder.bridge), dropout,        false,  decoder.feeding};
  c.embedding.tgt_dim = decoder.tied ? hidden : 2;
  c.embedding.tie_target = decoder.tied;
  return c;
}

ModelConfig small_lm_config(const std::string& cell, int64_t layers, bool tied, double dropout) {
  ModelConfig c;
  c.type = ModelType::kLanguageModel;
  c.decoder = {parse_cell(cell), layers, 5, AttentionKind::kNone, BridgeKind::kZero, dropout, false, false};
  c.embedding.tgt_dim = tied ? 5 : 2;
  c.embedding.tie_target = tied;
  return c;
}

void randomize_parameters(ParamRegistry& params, uint64_t seed, float scale) {
  for (Parameter* p : params.all()) fill_random(p->value, ++seed, scale);
  mark_changed(params);
}

void mark_changed(ParamRegistry& params) {
  for (Parameter* p : params.all()) p->changed();
}

std::vector<TokenIds> random_sentences(const std::vector<int>& lengths, int64_t vocab, uint64_t seed) {
  Rng rng(seed);
  std::vector<TokenIds> sentences;
  for (int length : lengths) {
    TokenIds ids(static_cast<size_t>(length));
    for (int& id : ids)
      id = kEosId + 1 + static_cast<int>(rng.below(static_cast<uint64_t>(vocab - kEosId - 1)));
    sentences.push_back(ids);
  }
  return sentences;
}

Batch batch_of(const std::vector<TokenIds>& src, const std::vector<TokenIds>& tgt) {
  EncodedCorpus corpus;
  corpus.src = src;
  corpus.tgt = tgt;
  std::vector<size_t> indices(src.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  return make_batch(corpus, indices);
}

Batch random_batch(const std::vector<int>& src_lengths, const std::vector<int>& tgt_lengths, uint64_t seed) {
  return batch_of(random_sentences(src_lengths, kTestSrcVocab, seed),
                  random_sentences(tgt_lengths, kTestTgtVocab, seed + 1));
}

std::vector<int> column_ids(const std::vector<int>& ids, int64_t batch_size, int64_t n, int length) {
  std::vector<int> column;
  for (int t = 0; t < length; ++t) column.push_back(ids[t * batch_size + n]);
  return column;
}

}  // namespace ferry
