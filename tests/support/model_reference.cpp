#include "support/model_reference.h"

#include "support/decoder_reference.h"
#include "support/encoder_reference.h"
#include "support/model_case.h"

namespace ferry {

Vector reference_logits(const ParamRegistry& params, const ModelConfig& config, const Vector& attentional) {
  const Tensor& bias = param_value(params, "output/bias");
  if (!config.embedding.tie_target) return affine(attentional, param_value(params, "output/weight"), &bias);
  const Tensor& table = param_value(params, "decoder/embedding/weight");
  const int64_t vocab = table.dim(0), hidden = table.dim(1);
  Vector logits(static_cast<size_t>(vocab));
  for (int64_t v = 0; v < vocab; ++v) {
    double sum = bias.data()[v];
    for (int64_t k = 0; k < hidden; ++k) sum += attentional[k] * table.data()[v * hidden + k];
    logits[v] = sum;
  }
  return logits;
}

double reference_token_loss(const Vector& logits, int target, double label_smoothing) {
  const Vector log_p = log_softmax(logits);
  const double uniform = label_smoothing / static_cast<double>(logits.size());
  double loss = 0;
  for (size_t j = 0; j < logits.size(); ++j) {
    const double q = (static_cast<int>(j) == target ? 1.0 - label_smoothing : 0.0) + uniform;
    loss -= q * log_p[j];
  }
  return loss;
}

SentenceReference reference_sentence(const ParamRegistry& params, const ModelConfig& config,
                                     const Batch& batch, int64_t n, double label_smoothing) {
  const int src_length = batch.src_lengths[n], tgt_length = batch.tgt_lengths[n];
  EncoderReference encoded;
  InitialStateReference initial;
  if (config.language_model()) {  // no source: the decoder starts from zeros
    const Vector zeros(static_cast<size_t>(config.decoder.hidden), 0.0);
    initial.h.assign(static_cast<size_t>(config.decoder.layers), zeros);
    if (has_cell_state(config.decoder.cell)) initial.c = initial.h;
  } else {
    encoded = reference_encoder(params, config, column_ids(batch.src, batch.size, n, src_length));
    initial = reference_bridge(params, config, encoded.final_h);
  }
  const Vectors attentional = reference_decoder(
      params, config, column_ids(batch.tgt_in, batch.size, n, tgt_length), initial, encoded.states);
  const std::vector<int> targets = column_ids(batch.tgt_out, batch.size, n, tgt_length);
  SentenceReference out;
  for (int t = 0; t < tgt_length; ++t) {
    const Vector logits = reference_logits(params, config, attentional[t]);
    out.log_probs.push_back(log_softmax(logits));
    out.loss += reference_token_loss(logits, targets[t], label_smoothing);
  }
  return out;
}

LossReference reference_batch_loss(const ParamRegistry& params, const ModelConfig& config, const Batch& batch,
                                   double label_smoothing) {
  LossReference out;
  for (int64_t n = 0; n < batch.size; ++n) {
    out.loss += reference_sentence(params, config, batch, n, label_smoothing).loss;
    out.tokens += batch.tgt_lengths[n];
  }
  return out;
}

}  // namespace ferry
