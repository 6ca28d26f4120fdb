// The one-step search path reproduces the whole-sequence path: a target fed token by token through
// begin_search / search_step gives at every step the log-probabilities that the whole-sequence path (encoder,
// bridge, decoder over the whole target, output layer) gives at that position, for each decoder cell and
// attention kind, with one row per sentence and with several rows per sentence, each following its own
// target.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "decoder/bridge.h"
#include "decoder/decoder.h"
#include "decoder/output_layer.h"
#include "encoder/encoder.h"
#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/reference_math.h"

namespace ferry {
namespace {

// The whole-sequence path assembled from the model's parts, over a copy of a model's parameters.
class WholeSequencePath {
 public:
  explicit WholeSequencePath(Seq2Seq& model)
      : config_(model.config()),
        encoder_(params_, config_.encoder, config_.embedding.src_dim, model.src_vocab(), config_.precision,
                 1),
        bridge_(params_, config_.decoder, config_.encoder.output_dim(), config_.encoder.layers,
                config_.precision),
        decoder_(params_, config_.decoder, config_.embedding.tgt_dim, model.tgt_vocab(),
                 config_.encoder.output_dim(), config_.embedding.tie_target, config_.precision, 1),
        output_(params_, config_.decoder.hidden, model.tgt_vocab(),
                config_.embedding.tie_target ? &decoder_.embedding() : nullptr) {
    EXPECT_EQ(params_.size(), model.params().size()) << "the parts register what the model registers";
    for (Parameter* p : params_.all()) {
      p->value.copy_from(model.params().get(p->name).value);
      p->changed();
    }
  }

  // {T, N, V}: the log-probabilities at every target position of the batch, teacher forced.
  Tensor log_probs(const Batch& batch) {
    EncoderOutput encoded;
    encoder_.forward(batch.src, batch.src_steps, batch.src_lengths, false, encoded);
    DecoderState initial;
    bridge_.forward(encoded.final_h, initial.h, initial.c);
    Tensor attentional, log_probs;
    decoder_.forward(batch.tgt_in, batch.tgt_steps, initial, encoded.states, batch.src_lengths, false,
                     attentional);
    output_.log_probs(attentional.reshaped({batch.tgt_steps * batch.size, config_.decoder.hidden}),
                      log_probs);
    return log_probs;
  }

 private:
  ModelConfig config_;
  ParamRegistry params_;
  Encoder encoder_;
  Bridge bridge_;
  Decoder decoder_;
  OutputLayer output_;
};

// (decoder cell, attention, beam, input feeding)
using SearchParam = std::tuple<std::string, std::string, int64_t, bool>;

class SearchPathTest : public ::testing::TestWithParam<SearchParam> {};

TEST_P(SearchPathTest, TeacherForcedStepsMatchWholeSequence) {
  const auto& [cell, attention, beam, feeding] = GetParam();
  const ModelConfig config =
      small_config({"lstm", 2, true, false}, {cell, 2, attention, "dense", false, feeding});
  Seq2Seq model(config, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 51);
  WholeSequencePath whole(model);

  const std::vector<TokenIds> sources = random_sentences({4, 1, 6}, kTestSrcVocab, 52);
  const auto rows = static_cast<int64_t>(sources.size()) * beam;
  const std::vector<int> target_lengths = {3, 0, 5, 2, 4, 1, 6, 2, 3};
  std::vector<TokenIds> row_sources;
  for (int64_t r = 0; r < rows; ++r) row_sources.push_back(sources[r / beam]);
  const Batch rows_batch = batch_of(
      row_sources, random_sentences(std::vector<int>(target_lengths.begin(), target_lengths.begin() + rows),
                                    kTestTgtVocab, 53));
  const Tensor expected = whole.log_probs(rows_batch);  // {T·R, V}

  const Batch source_batch = batch_of(sources, sources);
  SearchState state;
  model.begin_search(source_batch.src, source_batch.src_steps, source_batch.src_lengths, beam, state);
  Tensor log_probs;
  for (int64_t t = 0; t < rows_batch.tgt_steps; ++t) {
    const std::vector<int> tokens(rows_batch.tgt_in.begin() + t * rows,
                                  rows_batch.tgt_in.begin() + (t + 1) * rows);
    model.search_step(tokens, state, log_probs);
    ASSERT_EQ(log_probs.dims(), (Dims{rows, kTestTgtVocab}));
    for (int64_t r = 0; r < rows; ++r) {
      if (t >= rows_batch.tgt_lengths[r]) continue;
      EXPECT_TRUE(vectors_close({row_of(log_probs, r)}, {row_of(expected, t * rows + r)}))
          << "step " << t << ", row " << r;
    }
  }
}

std::string search_case_name(const ::testing::TestParamInfo<SearchParam>& info) {
  const auto& [cell, attention, beam, feeding] = info.param;
  return cell + "_" + attention + "_beam" + std::to_string(beam) + (feeding ? "_feed" : "");
}

INSTANTIATE_TEST_SUITE_P(Variants, SearchPathTest,
                         ::testing::Combine(::testing::Values("lstm", "gru", "rnn"),
                                            ::testing::Values("none", "dot", "general", "mlp"),
                                            ::testing::Values(1, 3), ::testing::Values(false)),
                         search_case_name);

INSTANTIATE_TEST_SUITE_P(InputFeeding, SearchPathTest,
                         ::testing::Combine(::testing::Values("lstm", "gru", "rnn"),
                                            ::testing::Values("dot", "general", "mlp"),
                                            ::testing::Values(1, 3), ::testing::Values(true)),
                         search_case_name);

}  // namespace
}  // namespace ferry
