#include "model/seq2seq.h"

#include "core/ops/sequence.h"
#include "core/profiler.h"
#include "util/error.h"

namespace ferry {

Seq2Seq::Seq2Seq(const ModelConfig& config, int64_t src_vocab, int64_t tgt_vocab, uint64_t seed, Use use,
                 const ParamRegistry* shared_weights)
    : config_(config),
      src_vocab_(src_vocab),
      tgt_vocab_(tgt_vocab),
      params_(use == Use::kTraining, shared_weights),
      // int8 weights serve the decoder's steps and the output layer; what runs once per sentence stays in
      // floating point.
      // One matrix for both embeddings and the output starts small, as a tied output layer's weight.
      encoder_(config.language_model()
                   ? nullptr
                   : std::make_unique<Encoder>(
                         params_, config.encoder, config.embedding.src_dim, src_vocab,
                         float_precision(config.precision), seed,
                         config.embedding.tie_all ? Init::uniform(0.1f) : Init::normal(1.0f))),
      // Each part's first argument notes where the part before it ended.
      bridge_((encoder_params_end_ = params_.size(),
               config.language_model()
                   ? nullptr
                   : std::make_unique<Bridge>(params_, config.decoder, config.encoder.output_dim(),
                                              config.encoder.layers, float_precision(config.precision)))),
      decoder_((bridge_params_end_ = params_.size(), params_), config.decoder, config.embedding.tgt_dim,
               tgt_vocab, config.encoder.output_dim(), config.embedding.tie_target, config.precision, seed,
               config.embedding.tie_all ? &encoder_->embedding().table() : nullptr),
      output_((decoder_params_end_ = params_.size(), params_), decoder_.hidden(), tgt_vocab,
              config.embedding.tie_target ? &decoder_.embedding() : nullptr, config.precision),
      src_word_dropout_(static_cast<float>(config.embedding.word_dropout),
                        seed * 0x9E3779B97F4A7C15ull + 400),
      tgt_word_dropout_(static_cast<float>(config.embedding.word_dropout),
                        seed * 0x9E3779B97F4A7C15ull + 401) {
  FERRY_CHECK(!config.language_model() ||
                  (config.decoder.attention == AttentionKind::kNone && !config.embedding.tie_all),
              InternalError, "a language model with attention or source embeddings");
  FERRY_CHECK(!config.embedding.tie_all || src_vocab == tgt_vocab, InternalError,
              "one embedding matrix for source vocabulary of " << src_vocab << " and target vocabulary of "
                                                               << tgt_vocab << " entries");
  if (use == Use::kTraining) params_.initialize(seed);  // an inference model's values are loaded, not drawn
}

void Seq2Seq::start_decoder(const EncoderOutput& encoded, int64_t batch, const DecoderState* carry) {
  if (bridge_) {
    bridge_->forward(encoded.final_h, initial_.h, initial_.c);
    return;
  }
  const auto layers = static_cast<size_t>(config_.decoder.layers);
  const bool lstm = has_cell_state(config_.decoder.cell);
  const bool carried = carry && !carry->h.empty();
  FERRY_CHECK(!carried || (carry->h.size() == layers && carry->h.front().dim(0) == batch), InternalError,
              "a carried state of " << carry->h.size() << " layers x " << carry->h.front().dim(0)
                                    << " rows for a batch of " << batch);
  // Copies, not handles: the carried state is rewritten by the forward that reads this one.
  const auto start = [&](Tensor& state, const Tensor* from) {
    state.resize({batch, decoder_.hidden()});
    if (from) {
      state.copy_from(*from);
    } else {
      state.zero();
    }
  };
  initial_.h.resize(layers);
  initial_.c.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    start(initial_.h[j], carried ? &carry->h[j] : nullptr);
    if (lstm) {
      start(initial_.c[j], carried ? &carry->c[j] : nullptr);
    } else {
      initial_.c[j] = Tensor();
    }
  }
}

void Seq2Seq::set_dropout_step(uint64_t step) {
  if (encoder_) encoder_->set_dropout_step(step);
  decoder_.set_dropout_step(step);
  src_word_dropout_.set_calls(step);
  tgt_word_dropout_.set_calls(step);
}

LossSum Seq2Seq::forward(const Batch& batch, bool training, float label_smoothing, DecoderState* carry) {
  FERRY_CHECK(!carry || config_.language_model(), InternalError, "a carried state for a translation model");
  backward_ready_ = training;
  src_word_dropout_.apply(batch.src, training, src_ids_);
  tgt_word_dropout_.apply(batch.tgt_in, training, tgt_ids_);
  if (encoder_) {
    ProfileScope scope(Part::kEncoder);
    encoder_->forward(src_ids_, batch.src_steps, batch.src_lengths, training, encoded_);
  }
  {
    ProfileScope scope(Part::kBridge);
    start_decoder(encoded_, batch.size, carry);
  }
  decoder_.forward(tgt_ids_, batch.tgt_steps, initial_, encoded_.states, batch.src_lengths, training,
                   attentional_, carry);
  ProfileScope scope(Part::kOutput);
  const float scale = batch.tgt_tokens() > 0 ? 1.0f / static_cast<float>(batch.tgt_tokens()) : 0.0f;
  return output_.forward(attentional_, batch.tgt_out, label_smoothing, scale, training);
}

void Seq2Seq::backward(const GradientsDone& done) {
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
  const auto report = [&](size_t first, size_t end) {
    if (done && end > first) done(first, end - first);
  };
  report(decoder_params_end_, params_.size());
  d_memory_.resize(encoded_.states.dims());
  d_memory_.zero();
  decoder_.backward(d_attentional_, d_initial_, d_memory_);
  report(bridge_params_end_, decoder_params_end_);
  if (!encoder_) return;  // a language model starts from zeros
  {
    ProfileScope scope(Part::kBridge);
    d_final_h_.resize(encoded_.final_h.size());
    for (size_t l = 0; l < d_final_h_.size(); ++l) {
      d_final_h_[l].resize(encoded_.final_h[l].dims());
      d_final_h_[l].zero();
    }
    bridge_->backward(d_initial_.h, d_initial_.c, d_final_h_);
  }
  report(encoder_params_end_, bridge_params_end_);
  ProfileScope scope(Part::kEncoder);
  encoder_->backward(d_memory_, d_final_h_);
  report(0, encoder_params_end_);
}

void Seq2Seq::begin_search(const std::vector<int>& src, int64_t steps, const std::vector<int>& lengths,
                           int64_t rows_per_sentence, SearchState& state) {
  const auto sentences = static_cast<int64_t>(lengths.size());
  backward_ready_ = false;
  state.rows_per_sentence = rows_per_sentence;
  state.sentences = sentences;
  state.source_steps = steps;
  EncoderOutput encoded;
  if (encoder_) encoder_->forward(src, steps, lengths, false, encoded);
  start_decoder(encoded, sentences);
  const int64_t rows = sentences * rows_per_sentence;
  row_map_.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) row_map_[r] = static_cast<int>(r / rows_per_sentence);
  const size_t layers = initial_.h.size();
  state.decoder.h.resize(layers);
  state.decoder.c.resize(layers);
  for (size_t j = 0; j < layers; ++j) {
    state.decoder.h[j].resize({rows, decoder_.hidden()});
    gather_rows(initial_.h[j], row_map_, state.decoder.h[j]);
    if (initial_.c[j].empty()) {
      state.decoder.c[j] = Tensor();
    } else {
      state.decoder.c[j].resize({rows, decoder_.hidden()});
      gather_rows(initial_.c[j], row_map_, state.decoder.c[j]);
    }
  }
  if (decoder_.input_feeding()) {
    state.decoder.feed.resize({rows, decoder_.hidden()});
    state.decoder.feed.zero();
  } else {
    state.decoder.feed = Tensor();
  }
  // A language model attends to nothing: a memory of one zero position per sentence keeps the row
  // bookkeeping (keep_sentences) uniform.
  state.encoded = encoder_ ? encoded.states.clone() : Tensor({1, sentences, 1});
  decoder_.prepare(state.encoded, lengths, state.memory);
}

void Seq2Seq::step_decoder(const std::vector<int>& tokens, SearchState& state) {
  FERRY_CHECK(static_cast<int64_t>(tokens.size()) == state.sentences * state.rows_per_sentence, InternalError,
              "search step: " << tokens.size() << " tokens for " << state.sentences << " x "
                              << state.rows_per_sentence);
  decoder_.step(tokens, state.memory, state.rows_per_sentence, state.decoder, state.attentional,
                state.attention);
}

void Seq2Seq::search_step(const std::vector<int>& tokens, SearchState& state, Tensor& log_probs) {
  step_decoder(tokens, state);
  output_.log_probs(state.attentional, log_probs);
}

void Seq2Seq::search_step_best(const std::vector<int>& tokens, SearchState& state, std::vector<int>& best) {
  step_decoder(tokens, state);
  output_.best_tokens(state.attentional, best);
}

void Seq2Seq::reorder_rows(SearchState& state, const std::vector<int>& rows) {
  const auto count = static_cast<int64_t>(rows.size());
  FERRY_CHECK(state.sentences > 0 && count % state.sentences == 0, InternalError,
              "reorder_rows: " << count << " rows for " << state.sentences << " sentences");
  state.decoder.gather_rows(rows, state.scratch);
  state.rows_per_sentence = count / state.sentences;
}

void Seq2Seq::keep_sentences(SearchState& state, const std::vector<int>& sentences) {
  const int64_t per_sentence = state.rows_per_sentence;
  std::vector<int> rows;
  rows.reserve(sentences.size() * per_sentence);
  for (const int b : sentences) {
    for (int64_t k = 0; k < per_sentence; ++k) rows.push_back(static_cast<int>(b * per_sentence + k));
  }
  state.decoder.gather_rows(rows, state.scratch);
  state.memory.keep_sentences(sentences, state.scratch_memory);
  state.sentences = static_cast<int64_t>(sentences.size());
}

}  // namespace ferry
