// The search step of a model at precision int8 (the decoder's RNN layers, combine layer and output layer
// with 8-bit weights) against a naive reference of the same arithmetic in double: each product's input row
// quantized with one scale, each weight column with one scale, integer sums (but the first layer's input
// products exact when it reads embeddings alone, and the combine layer's context part, which multiplies the
// encoder states once per batch at float_precision), then the f32 cell, attention, combine and log-softmax
// equations. And against the f32 step it approximates.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "core/context.h"
#include "core/ops/convert.h"
#include "core/ops/matmul.h"
#include "model/seq2seq.h"
#include "support/decoder_reference.h"
#include "support/model_case.h"
#include "support/reference_math.h"

namespace ferry {
namespace {

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// x·W as the int8 path computes it: x rounded to levels of max|x| / 127, each column of W to levels of its
// own max / 127, the products summed exactly.
Vector quantized_product(const Vector& x, const MatrixView& w) {
  const auto* data = static_cast<const float*>(w.data);
  const auto at = [&](int64_t k, int64_t n) { return double{data[k * w.row_stride + n * w.col_stride]}; };
  double x_max = 0;
  for (double v : x) x_max = std::max(x_max, std::fabs(v));
  const double x_scale = x_max / 127;
  Vector out(static_cast<size_t>(w.cols), 0.0);
  for (int64_t n = 0; n < w.cols; ++n) {
    double w_max = 0;
    for (int64_t k = 0; k < w.rows; ++k) w_max = std::max(w_max, std::fabs(at(k, n)));
    const double w_scale = w_max / 127;
    double sum = 0;
    for (int64_t k = 0; k < w.rows; ++k) {
      const double qx = x_scale > 0 ? std::round(x[k] / x_scale) : 0;
      const double qw = w_scale > 0 ? std::round(at(k, n) / w_scale) : 0;
      sum += qx * qw;
    }
    out[n] = sum * x_scale * w_scale;
  }
  return out;
}

// x·W in double.
Vector exact_product(const Vector& x, const MatrixView& w) {
  const auto* data = static_cast<const float*>(w.data);
  Vector out(static_cast<size_t>(w.cols), 0.0);
  for (int64_t n = 0; n < w.cols; ++n) {
    for (int64_t k = 0; k < w.rows; ++k) out[n] += x[k] * double{data[k * w.row_stride + n * w.col_stride]};
  }
  return out;
}

// t's values as the int8 path's float-precision products read them: rounded to bf16 where those run in bf16.
Tensor at_float_precision(const Tensor& t) {
  if (compute_type(Precision::kInt8) != DType::kBF16) return t.clone();
  Tensor bf16(t.dims(), DType::kBF16), back(t.dims());
  convert(t, bf16);
  convert(bf16, back);
  return back;
}

// A parameter {d0, ...} as the matrix {d0, rest}.
MatrixView rows_of(const Tensor& t) {
  const int64_t rows = t.dim(0), cols = t.numel() / rows;
  return {const_cast<float*>(t.data()), DType::kF32, 1, rows, cols, rows * cols, cols, 1};
}

struct RowState {
  Vectors h, c;  // [layer][H]
  Vector feed;   // with input feeding: the attentional output of the step before; else empty
};

// One row's step: new state in `state`, log-probabilities returned. `projected_memory`: the encoder states
// as the combine layer's context part multiplies them (at_float_precision).
Vector reference_step(const ParamRegistry& params, const ModelConfig& config, int token, RowState& state,
                      const Vectors& memory, const Vectors& projected_memory) {
  const int64_t H = config.decoder.hidden;
  Vector x = row_of(param_value(params, "decoder/embedding/weight"), token);
  // The first layer reads [embedding; fed output] as one row.
  if (config.decoder.input_feeding) x = concat(x, state.feed);
  for (size_t j = 0; j < state.h.size(); ++j) {
    const std::string scope = "decoder/l" + std::to_string(j);
    // Without input feeding the first layer's input products are f32 rows of a table per token.
    const MatrixView w_x = rows_of(param_value(params, scope + "/weights_layer"));
    const Vector gx = j == 0 && !config.decoder.input_feeding ? exact_product(x, w_x) : quantized_product(x, w_x);
    const Vector gh = quantized_product(state.h[j], rows_of(param_value(params, scope + "/weights_iter")));
    const float* b = param_value(params, scope + "/bias").data();
    Vector& h = state.h[j];
    for (int64_t i = 0; i < H; ++i) {
      const auto z = [&](int64_t gate) { return gx[gate * H + i] + gh[gate * H + i] + b[gate * H + i]; };
      if (has_cell_state(config.decoder.cell)) {
        Vector& c = state.c[j];
        c[i] = sigmoid(z(1)) * c[i] + sigmoid(z(0)) * std::tanh(z(2));
        h[i] = sigmoid(z(3)) * std::tanh(c[i]);
      } else if (config.decoder.cell == CellKind::kRnn) {
        h[i] = std::tanh(z(0));
      } else {
        const double u = sigmoid(z(0)), r = sigmoid(z(1));
        const double o = std::tanh(gx[2 * H + i] + b[2 * H + i] + r * (gh[2 * H + i] + b[3 * H + i]));
        h[i] = u * h[i] + (1 - u) * o;
      }
    }
    x = h;
  }
  Vector a = x;
  if (config.decoder.attention != AttentionKind::kNone) {
    // The combine layer: the context's part exact (the encoder states are projected once per batch), h's in
    // 8 bits.
    const QueryProduct quantized = [](const Vector& q, const Tensor& w) { return quantized_product(q, rows_of(w)); };
    const Vector weights =
        reference_attention(params, attention_name(config.decoder.attention), x, memory, quantized).weights;
    Vector context(projected_memory.front().size(), 0.0);
    for (size_t p = 0; p < weights.size(); ++p) {
      for (size_t d = 0; d < context.size(); ++d) context[d] += weights[p] * projected_memory[p][d];
    }
    const Tensor& combine = param_value(params, "decoder/combine/weight");
    const auto D = static_cast<int64_t>(context.size());
    a = plus(exact_product(context, rows_of(at_float_precision(combine.slice(0, D)))),
             quantized_product(x, rows_of(combine.slice(D, combine.dim(0)))));
    a = tanh_of(plus(a, row_of(param_value(params, "decoder/combine/bias"), 0)));
  }
  if (config.decoder.input_feeding) state.feed = a;
  const MatrixView out = config.embedding.tie_target
                             ? matrix(param_value(params, "decoder/embedding/weight")).transposed()
                             : rows_of(param_value(params, "output/weight"));
  return log_softmax(plus(quantized_product(a, out), row_of(param_value(params, "output/bias"), 0)));
}

// (decoder cell, attention, tied output, input feeding)
using StepParam = std::tuple<std::string, std::string, bool, bool>;

class Int8StepTest : public ::testing::TestWithParam<StepParam> {
 protected:
  void SetUp() override {
    // Such a CPU refuses precision int8 (tests/core/quantized_linear_test.cpp).
    if (!Context::has_int8_dot_products()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  }
  ModelConfig config(Precision precision) const {
    const auto& [cell, attention, tied, feeding] = GetParam();
    ModelConfig c = small_config({"lstm", 2, true, false}, {cell, 2, attention, "dense", tied, feeding});
    c.precision = precision;
    return c;
  }
};

TEST_P(Int8StepTest, StepsMatchTheQuantizedReference) {
  const ModelConfig int8 = config(Precision::kInt8);
  Seq2Seq model(int8, kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(model.params(), 61);
  const int64_t beam = 2;
  const std::vector<TokenIds> sources = random_sentences({4, 1, 6}, kTestSrcVocab, 62);
  const Batch batch = batch_of(sources, sources);
  SearchState state;
  model.begin_search(batch.src, batch.src_steps, batch.src_lengths, beam, state);
  const int64_t rows = batch.size * beam;
  const Tensor projected_encoded = at_float_precision(state.encoded);
  std::vector<RowState> expected_states(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    for (size_t j = 0; j < state.decoder.h.size(); ++j) {
      expected_states[r].h.push_back(row_of(state.decoder.h[j], r));
      if (has_cell_state(int8.decoder.cell)) expected_states[r].c.push_back(row_of(state.decoder.c[j], r));
    }
    expected_states[r].feed.assign(static_cast<size_t>(int8.decoder.hidden), 0.0);
  }
  Tensor log_probs;
  for (int t = 0; t < 3; ++t) {
    std::vector<int> tokens;
    for (int64_t r = 0; r < rows; ++r)
      tokens.push_back(static_cast<int>(4 + (7 * r + 3 * t) % (kTestTgtVocab - 4)));
    model.search_step(tokens, state, log_probs);
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t b = r / beam;
      const Vectors memory = column_of(state.encoded, b, batch.src_lengths[b]);
      const Vectors projected = column_of(projected_encoded, b, batch.src_lengths[b]);
      const Vector expected =
          reference_step(model.params(), int8, tokens[r], expected_states[r], memory, projected);
      // f32 against double: a value that lands within rounding of a level boundary may round the other way,
      // moving one level (1/127 of a row's range) in one product term.
      EXPECT_TRUE(vectors_close({row_of(log_probs, r)}, {expected}, 0, 2e-3))
          << "step " << t << ", row " << r;
      for (size_t j = 0; j < state.decoder.h.size(); ++j)
        EXPECT_TRUE(vectors_close({row_of(state.decoder.h[j], r)}, {expected_states[r].h[j]}, 0, 1e-3))
            << "h of layer " << j << ", step " << t << ", row " << r;
    }
  }
}

TEST_P(Int8StepTest, StepsFollowTheF32Steps) {
  Seq2Seq int8(config(Precision::kInt8), kTestSrcVocab, kTestTgtVocab, 1);
  Seq2Seq f32(config(Precision::kF32), kTestSrcVocab, kTestTgtVocab, 1);
  randomize_parameters(int8.params(), 63);
  for (Parameter* p : f32.params().all()) {
    p->value.copy_from(int8.params().get(p->name).value);
    p->changed();
  }
  const std::vector<TokenIds> sources = random_sentences({5, 2}, kTestSrcVocab, 64);
  const Batch batch = batch_of(sources, sources);
  SearchState int8_state, f32_state;
  int8.begin_search(batch.src, batch.src_steps, batch.src_lengths, 1, int8_state);
  f32.begin_search(batch.src, batch.src_steps, batch.src_lengths, 1, f32_state);
  Tensor int8_log_probs, f32_log_probs;
  for (int t = 0; t < 4; ++t) {
    const std::vector<int> tokens = {4 + t, 8 - t};
    int8.search_step(tokens, int8_state, int8_log_probs);
    f32.search_step(tokens, f32_state, f32_log_probs);
    // Widths of 2-5 leave each product only a few terms to average out rounding: half a level of each
    // operand, summed through two layers, attention and the output.
    EXPECT_TRUE(vectors_close({row_of(int8_log_probs, 0), row_of(int8_log_probs, 1)},
                              {row_of(f32_log_probs, 0), row_of(f32_log_probs, 1)}, 0, 0.05))
        << "step " << t;
  }
}

std::string step_case_name(const ::testing::TestParamInfo<StepParam>& info) {
  const auto& [cell, attention, tied, feeding] = info.param;
  return cell + "_" + attention + (tied ? "_tied" : "") + (feeding ? "_feed" : "");
}

INSTANTIATE_TEST_SUITE_P(Variants, Int8StepTest,
                         ::testing::Combine(::testing::Values("lstm", "gru", "rnn"),
                                            ::testing::Values("none", "dot", "general", "mlp"),
                                            ::testing::Bool(), ::testing::Values(false)),
                         step_case_name);

INSTANTIATE_TEST_SUITE_P(InputFeeding, Int8StepTest,
                         ::testing::Combine(::testing::Values("lstm", "gru", "rnn"),
                                            ::testing::Values("dot", "general", "mlp"),
                                            ::testing::Values(false), ::testing::Values(true)),
                         step_case_name);

}  // namespace
}  // namespace ferry
