#include "bench/support/flop_count.h"

namespace ferry {

ForwardFlops forward_flops(const ModelConfig& config, int64_t tgt_vocab, const Batch& batch) {
  ForwardFlops f;
  const auto S = static_cast<double>(batch.src_steps), T = static_cast<double>(batch.tgt_steps);
  const auto N = static_cast<double>(batch.size), K = static_cast<double>(batch.tgt_tokens());
  const auto He = static_cast<double>(config.encoder.hidden), Hd = static_cast<double>(config.decoder.hidden);
  const auto De = static_cast<double>(config.encoder.output_dim());
  const double directions = config.encoder.bidirectional ? 2 : 1;

  const auto ge = static_cast<double>(gate_count(config.encoder.cell));
  for (int64_t l = 0; l < config.encoder.layers; ++l) {
    const double in = l == 0 ? static_cast<double>(config.embedding.src_dim) : De;
    f.encoder += directions * 2 * S * N * ge * He * (in + He);
  }
  const auto gd = static_cast<double>(gate_count(config.decoder.cell));
  for (int64_t l = 0; l < config.decoder.layers; ++l) {
    const double in = l == 0 ? static_cast<double>(config.embedding.tgt_dim) : Hd;
    f.decoder_rnn += 2 * T * N * gd * Hd * (in + Hd);
  }
  if (config.decoder.bridge == BridgeKind::kDense) {
    const double layers = static_cast<double>(config.decoder.layers) * (has_cell_state(config.decoder.cell) ? 2 : 1);
    f.bridge = layers * 2 * N * De * Hd;
  }
  const AttentionKind kind = config.decoder.attention;
  if (kind != AttentionKind::kNone) {
    const double projection = kind == AttentionKind::kGeneral ? 2 * T * N * Hd * De
                              : kind == AttentionKind::kMlp   ? 2 * (T + S) * N * Hd * Hd
                                                              : 0;
    const double mlp_scores = kind == AttentionKind::kMlp ? 2 * T * N * S * Hd : 0;
    f.attention = projection + mlp_scores + 2 * (2 * N * T * S * De) + 2 * T * N * (De + Hd) * Hd;
  }
  f.output = 2 * K * Hd * static_cast<double>(tgt_vocab);
  return f;
}

}  // namespace ferry
