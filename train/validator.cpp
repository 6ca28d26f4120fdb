#include "train/validator.h"

#include <cmath>

#include "data/batch.h"
#include "data/batcher.h"
#include "data/stream_batches.h"
#include "eval/bleu.h"
#include "eval/chrf.h"
#include "translate/translate_ids.h"

namespace ferry {

Validator::Validator(const RunConfig& config, const TrainingData& data)
    : config_(config), data_(data), sources_(data.valid.src.to_vectors()) {}

ValidationResult Validator::run(Seq2Seq& model) const {
  ValidationResult result;
  if (!enabled()) return result;
  double loss = 0;
  const auto add = [&](const LossSum& sum) {
    loss += sum.loss;
    result.tokens += sum.tokens;
  };
  if (config_.training.bptt > 0) {
    // A stream-trained language model reads the validation text as a stream too, its state carried.
    const StreamBatches stream(data_.valid.tgt, stream_rows(config_.training), config_.training.bptt);
    DecoderState carried;
    for (int64_t k = 0; k < stream.size(); ++k) add(model.forward(stream.batch(k), false, 0.0f, &carried));
  } else {
    Batcher batcher(data_.valid, config_.training.batch_tokens, 0);
    for (const auto& indices : batcher.sorted_plan())
      add(model.forward(make_batch(data_.valid, indices), false));
  }
  result.ppl = std::exp(loss / static_cast<double>(result.tokens));
  if (config_.model.language_model()) return result;  // nothing to translate

  DecodeConfig search = config_.decoding;
  search.beam_size = config_.training.validation_beam_size;
  const std::vector<TokenIds> hypotheses = translate_ids(model, sources_, search);
  std::vector<std::string> texts;
  texts.reserve(hypotheses.size());
  for (const TokenIds& ids : hypotheses) texts.push_back(data_.tgt_vocab.decode(ids));
  result.bleu = corpus_bleu(texts, {data_.valid_references}).score;
  result.chrf = corpus_chrf(texts, {data_.valid_references}, chrf_options()).score;
  return result;
}

}  // namespace ferry
