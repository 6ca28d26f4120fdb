#include "model/seq2seq.h"

#include "core/ops/sequence.h"
#include "core/profiler.h"
#include "util/error.h"

namespace ferry {

Seq2Seq::Seq2Seq(const ModelConfig& config, int64_t src_vocab, int64_t tgt_vocab, uint64_t seed, Use use)
    : config_(config),
      src_vocab_(src_vocab),
      tgt_vocab_(tgt_vocab),
      params_(use == Use::kTraining),
      encoder_(params_, config, src_vocab, seed),
      bridge_(params_, config),
      decoder_(params_, config, tgt_vocab, seed),
      output_(params_, config.decoder.hidden, tgt_vocab,
              config.embedding.tie_target ? &decoder_.embedding() : nullptr, config.compute_type()) {
  if (use == Use::kTraining) params_.initialize(seed);  // an inference model's values are loaded, not drawn
}

void Seq2Seq::set_dropout_step(uint64_t step) {
  encoder_.set_dropout_step(step);
  decoder_.set_dropout_step(step);
}

LossSum Seq2Seq::forward(const Batch& batch, bool training, float label_smoothing) {
  backward_ready_ = training;
  {
    ProfileScope scope(Part::kEncoder);
    encoder_.forward(batch.src, batch.src_steps, batch.src_lengths, training, encoded_);
  }
  {
    ProfileScope scope(Part::kBridge);
    bridge_.forward(encoded_.final_h, initial_.h, initial_.c);
  }
  decoder_.forward(batch.tgt_in, batch.tgt_steps, initial_, encoded_.states, batch.src_lengths, training,
                   attentional_);
  ProfileScope scope(Part::kOutput);
  const float scale = batch.tgt_tokens() > 0 ? 1.0f / static_cast<float>(batch.tgt_tokens()) : 0.0f;
  return output_.forward(attentional_, batch.tgt_out, label_smoothing, scale, training);
}

void Seq2Seq::backward() {
  FERRY_CHECK(params_.has_gradients(), InternalError, "Seq2Seq::backward on a model built for inference");
  FERRY_CHECK(
      backward_ready_, InternalError,
      "Seq2Seq::backward needs a training forward just before it (an inference forward or begin_search "
      "since reuses its buffers)");
  backward_ready_ = false;
  {
    ProfileScope scope(Part::kOutput);
    output_.backward(d_attentional_);
  }
  d_memory_.resize(encoded_.states.dims());
  d_memory_.zero();
  decoder_.backward(d_attentional_, d_initial_, d_memory_);
  {
    ProfileScope scope(Part::kBridge);
    d_final_h_.resize(encoded_.final_h.size());
    for (size_t l = 0; l < d_final_h_.size(); ++l) {
      d_final_h_[l].resize(encoded_.final_h[l].dims());
      d_final_h_[l].zero();
    }
    bridge_.backward(d_initial_.h, d_initial_.c, d_final_h_);
  }
  ProfileScope scope(Part::kEncoder);
  encoder_.backward(d_memory_, d_final_h_);
}

void Seq2Seq::begin_search(const std::vector<int>& src, int64_t steps, const std::vector<int>& lengths,
                           int64_t beam, SearchState& state) {
  const auto sentences = static_cast<int64_t>(lengths.size());
  backward_ready_ = false;
  state.beam = beam;
  state.sentences = sentences;
  state.source_steps = steps;
  EncoderOutput encoded;
  encoder_.forward(src, steps, lengths, false, encoded);
  bridge_.forward(encoded.final_h, initial_.h, initial_.c);
  row_map_.resize(static_cast<size_t>(sentences * beam));
  for (int64_t r = 0; r < sentences * beam; ++r) row_map_[r] = static_cast<int>(r / beam);
  const size_t layers = initial_.h.size();
  state.decoder.h.resize(layers);
  state.decoder.c.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    state.decoder.h[j].resize({sentences * beam, config_.decoder.hidden});
    gather_rows(initial_.h[j], row_map_, state.decoder.h[j]);
    if (initial_.c[j].empty()) {
      state.decoder.c[j] = Tensor();
    } else {
      state.decoder.c[j].resize({sentences * beam, config_.decoder.hidden});
      gather_rows(initial_.c[j], row_map_, state.decoder.c[j]);
    }
  }
  decoder_.prepare(encoded.states.clone(), lengths, state.memory);
  if (config_.precision == "int8" && (!quantized_step_ || quantized_step_->stale(params_)))
    quantized_step_ = std::make_unique<QuantizedStep>(params_, config_, decoder_.attention());
}

void Seq2Seq::search_step(const std::vector<int>& tokens, SearchState& state, Tensor& log_probs) {
  FERRY_CHECK(static_cast<int64_t>(tokens.size()) == state.sentences * state.beam, InternalError,
              "search step: " << tokens.size() << " tokens for " << state.sentences << " x " << state.beam);
  if (quantized_step_) {
    quantized_step_->step(tokens, state.memory, state.beam, state.decoder, state.attention, log_probs);
    return;
  }
  decoder_.step(tokens, state.memory, state.beam, state.decoder, state.attentional, state.attention);
  output_.log_probs(state.attentional, log_probs);
}

void Seq2Seq::reorder_rows(SearchState& state, const std::vector<int>& rows) {
  const auto count = static_cast<int64_t>(rows.size());
  FERRY_CHECK(state.sentences > 0 && count % state.sentences == 0, InternalError,
              "reorder_rows: " << count << " rows for " << state.sentences << " sentences");
  gather_state_rows(state, rows);
  state.beam = count / state.sentences;
}

void Seq2Seq::gather_state_rows(SearchState& state, const std::vector<int>& rows) {
  const auto gather = [&](Tensor& t, Tensor& scratch) {
    scratch.resize({static_cast<int64_t>(rows.size()), t.dim(1)});
    gather_rows(t, rows, scratch);
    std::swap(t, scratch);
  };
  const size_t layers = state.decoder.h.size();
  state.scratch.h.resize(layers);
  state.scratch.c.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    gather(state.decoder.h[j], state.scratch.h[j]);
    if (!state.decoder.c[j].empty()) gather(state.decoder.c[j], state.scratch.c[j]);
  }
}

void Seq2Seq::keep_sentences(SearchState& state, const std::vector<int>& sentences) {
  const int64_t beam = state.beam;
  std::vector<int> rows;
  rows.reserve(sentences.size() * beam);
  for (int b : sentences) {
    for (int64_t k = 0; k < beam; ++k) rows.push_back(static_cast<int>(b * beam + k));
  }
  gather_state_rows(state, rows);
  Attention::Memory& kept = state.scratch_memory;
  const int64_t S = state.source_steps, B = static_cast<int64_t>(sentences.size());
  kept.values.resize({S, B, state.memory.values.dim(2)});
  gather_columns(state.memory.values, sentences, kept.values);
  if (!state.memory.keys.empty()) {
    kept.keys.resize({S, B, state.memory.keys.dim(2)});
    gather_columns(state.memory.keys, sentences, kept.keys);
  }
  kept.lengths.clear();
  for (int b : sentences) kept.lengths.push_back(state.memory.lengths[b]);
  std::swap(state.memory, kept);
  state.sentences = B;
}

}  // namespace ferry
