#include "decoder/quantized_step.h"

#include <cmath>

#include "core/ops/fast_math.h"
#include "core/ops/quantize.h"
#include "core/ops/sequence.h"
#include "core/parallel.h"
#include "util/error.h"

namespace ferry {
namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// Rows [begin, end) of a parameter read as a matrix {dim 0, the other dims flattened}.
MatrixView row_block(const Parameter& param, int64_t begin, int64_t end) {
  const int64_t cols = param.value.numel() / param.value.dim(0);
  auto* data = const_cast<float*>(param.value.data()) + begin * cols;
  return {data, DType::kF32, 1, end - begin, cols, (end - begin) * cols, cols, 1};
}

MatrixView all_rows(const Parameter& param) { return row_block(param, 0, param.value.dim(0)); }

std::unique_ptr<QuantizedLinear> quantized(const MatrixView& w) {
  return std::make_unique<QuantizedLinear>(w);
}

// The LSTM cell (gate order i, f, c~, o) on gates = xs·x_products + hs·h_products + bias, state in place.
void lstm_cell(const Tensor& x_products, const Tensor& x_scales, const Tensor& h_products,
               const Tensor& h_scales, const float* bias, Tensor& h, Tensor& c) {
  const int64_t R = h.dim(0), H = h.dim(1);
#pragma omp parallel for schedule(static) if (R * H * 4 >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const float xs = x_scales.data()[r], hs = h_scales.data()[r];
    const float* gx = x_products.data() + r * 4 * H;
    const float* gh = h_products.data() + r * 4 * H;
    float* h_row = h.data() + r * H;
    float* c_row = c.data() + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float i = sigmoid(xs * gx[j] + hs * gh[j] + bias[j]);
      const float f = sigmoid(xs * gx[H + j] + hs * gh[H + j] + bias[H + j]);
      const float g = fast_tanh(xs * gx[2 * H + j] + hs * gh[2 * H + j] + bias[2 * H + j]);
      const float o = sigmoid(xs * gx[3 * H + j] + hs * gh[3 * H + j] + bias[3 * H + j]);
      const float cell = f * c_row[j] + i * g;
      c_row[j] = cell;
      h_row[j] = o * fast_tanh(cell);
    }
  }
}

// The linear-before-reset GRU cell (gates u, r, o; bias u, r, o, u'), h in place.
void gru_cell(const Tensor& x_products, const Tensor& x_scales, const Tensor& h_products,
              const Tensor& h_scales, const float* bias, Tensor& h) {
  const int64_t R = h.dim(0), H = h.dim(1);
#pragma omp parallel for schedule(static) if (R * H * 3 >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const float xs = x_scales.data()[r], hs = h_scales.data()[r];
    const float* gx = x_products.data() + r * 3 * H;
    const float* gh = h_products.data() + r * 3 * H;
    float* h_row = h.data() + r * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float u = sigmoid(xs * gx[j] + hs * gh[j] + bias[j]);
      const float reset = sigmoid(xs * gx[H + j] + hs * gh[H + j] + bias[H + j]);
      const float o =
          fast_tanh(xs * gx[2 * H + j] + bias[2 * H + j] + reset * (hs * gh[2 * H + j] + bias[3 * H + j]));
      h_row[j] = u * h_row[j] + (1.0f - u) * o;
    }
  }
}

// out = tanh(as·a_products + bs·b_products + bias), {R, N}.
void combine_tanh(const Tensor& a_products, const Tensor& a_scales, const Tensor& b_products,
                  const Tensor& b_scales, const float* bias, Tensor& out) {
  const int64_t R = a_products.dim(0), N = a_products.dim(1);
  out.resize({R, N});
#pragma omp parallel for schedule(static) if (R * N >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    const float as = a_scales.data()[r], bs = b_scales.data()[r];
    const float* a = a_products.data() + r * N;
    const float* b = b_products.data() + r * N;
    float* y = out.data() + r * N;
#pragma omp simd
    for (int64_t n = 0; n < N; ++n) y[n] = fast_tanh(as * a[n] + bs * b[n] + bias[n]);
  }
}

// log_probs = log_softmax(scales·products + bias) row by row, in place.
void scaled_log_softmax(Tensor& log_probs, const Tensor& scales, const float* bias) {
  const int64_t R = log_probs.dim(0), V = log_probs.dim(1);
#pragma omp parallel for schedule(static) if (R * V >= kParallelMinElements)
  for (int64_t r = 0; r < R; ++r) {
    float* z = log_probs.data() + r * V;
    const float scale = scales.data()[r];
    float max = -INFINITY;
#pragma omp simd reduction(max : max)
    for (int64_t v = 0; v < V; ++v) {
      z[v] = scale * z[v] + bias[v];
      max = z[v] > max ? z[v] : max;
    }
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t v = 0; v < V; ++v) sum += fast_exp(z[v] - max);
    const float log_norm = max + static_cast<float>(std::log(sum));
#pragma omp simd
    for (int64_t v = 0; v < V; ++v) z[v] -= log_norm;
  }
}

}  // namespace

void QuantizedStep::Product::run(QuantizedLinear& weight, const Tensor& x) {
  quantize_rows(x, quantized, scales);
  weight.multiply(quantized, products);
}

QuantizedStep::QuantizedStep(const ParamRegistry& params, const ModelConfig& config, Attention* attention)
    : cell_(config.decoder.cell == "lstm" ? CellKind::kLstm : CellKind::kGru),
      hidden_(config.decoder.hidden),
      embedding_(params.get("decoder/embedding/weight")),
      attention_(attention),
      output_bias_(params.get("output/bias")) {
  const auto keep = [&](const std::string& name) -> const Parameter& {
    const Parameter& param = params.get(name);
    versions_.emplace_back(&param, param.version);
    return param;
  };
  keep("decoder/embedding/weight");
  keep("output/bias");
  for (int64_t j = 0; j < config.decoder.layers; ++j) {
    const std::string scope = "decoder/l" + std::to_string(j);
    const Parameter& input = keep(scope + "/weights_layer");
    const Parameter& recurrent = keep(scope + "/weights_iter");
    const Parameter& bias = keep(scope + "/bias");
    layers_.push_back({quantized(all_rows(input)), quantized(all_rows(recurrent)), &bias});
  }
  if (attention_) {
    const Parameter& combine = keep("decoder/combine/weight");  // {D + H, H}: context rows, then top-h rows
    const int64_t memory_dim = combine.value.dim(0) - hidden_;
    combine_context_ = quantized(row_block(combine, 0, memory_dim));
    combine_top_ = quantized(row_block(combine, memory_dim, combine.value.dim(0)));
    combine_bias_ = &keep("decoder/combine/bias");
  }
  if (config.embedding.tie_target) {
    output_ = quantized(matrix(embedding_.value).transposed());
  } else {
    output_ = quantized(all_rows(keep("output/weight")));
  }
}

bool QuantizedStep::stale(const ParamRegistry& params) const {
  for (const auto& [param, version] : versions_)
    if (!params.has(param->name) || param->version != version) return true;
  return false;
}

void QuantizedStep::step(const std::vector<int>& tokens, const Attention::Memory& memory, int64_t beam,
                         DecoderState& state, Tensor& attention_weights, Tensor& log_probs) {
  const auto rows = static_cast<int64_t>(tokens.size());
  FERRY_CHECK(state.h.size() == layers_.size() && state.h.front().dim(0) == rows, InternalError,
              "quantized step: state of " << state.h.size() << " layers for " << rows << " rows");
  input_.resize({rows, embedding_.value.dim(1)});
  gather_rows(embedding_.value, tokens, input_);
  const Tensor* x = &input_;
  for (size_t j = 0; j < layers_.size(); ++j) {
    Layer& layer = layers_[j];
    x_.run(*layer.input, *x);
    h_.run(*layer.recurrent, state.h[j]);
    if (cell_ == CellKind::kLstm) {
      lstm_cell(x_.products, x_.scales, h_.products, h_.scales, layer.bias->value.data(), state.h[j],
                state.c[j]);
    } else {
      gru_cell(x_.products, x_.scales, h_.products, h_.scales, layer.bias->value.data(), state.h[j]);
    }
    x = &state.h[j];
  }
  const Tensor* attentional = x;
  if (attention_) {
    attention_->step(memory, *x, beam, context_, attention_weights);
    x_.run(*combine_context_, context_);
    top_.run(*combine_top_, *x);
    combine_tanh(x_.products, x_.scales, top_.products, top_.scales, combine_bias_->value.data(),
                 attentional_);
    attentional = &attentional_;
  }
  quantize_rows(*attentional, top_.quantized, top_.scales);
  output_->multiply(top_.quantized, log_probs);
  scaled_log_softmax(log_probs, top_.scales, output_bias_.value.data());
}

}  // namespace ferry
