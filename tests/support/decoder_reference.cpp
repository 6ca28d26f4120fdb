#include "support/decoder_reference.h"

#include <cmath>

namespace ferry {
namespace {

double dot(const Vector& a, const Vector& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

double score(const ParamRegistry& params, const std::string& kind, const Vector& query, const Vector& value,
             const QueryProduct& query_product) {
  const auto product = [&](const std::string& weight) {
    const Tensor& w = param_value(params, weight);
    return query_product ? query_product(query, w) : affine(query, w);
  };
  if (kind == "dot") return dot(query, value);
  if (kind == "general") return dot(product("attention/W_a/weight"), value);
  const Vector projected_query =
      plus(product("attention/query/weight"), row_of(param_value(params, "attention/query/bias"), 0));
  const Vector hidden =
      tanh_of(plus(projected_query, affine(value, param_value(params, "attention/key/weight"))));
  const Tensor& v = param_value(params, "attention/v");
  return dot(hidden, Vector(v.data(), v.data() + v.numel()));
}

}  // namespace

InitialStateReference reference_bridge(const ParamRegistry& params, const ModelConfig& config,
                                       const Vectors& final_h) {
  const bool lstm = has_cell_state(config.decoder.cell);
  InitialStateReference out;
  for (int64_t j = 0; j < config.decoder.layers; ++j) {
    if (config.decoder.bridge == BridgeKind::kZero) {
      out.h.emplace_back(config.decoder.hidden, 0.0);
      if (lstm) out.c.emplace_back(config.decoder.hidden, 0.0);
      continue;
    }
    const Vector& source = final_h[config.encoder.layers == config.decoder.layers ? j : final_h.size() - 1];
    out.h.push_back(tanh_of(
        affine(source, param_value(params, "bridge/h/weight"), &param_value(params, "bridge/h/bias"))));
    if (lstm) {
      out.c.push_back(
          affine(source, param_value(params, "bridge/c/weight"), &param_value(params, "bridge/c/bias")));
    }
  }
  return out;
}

AttentionReference reference_attention(const ParamRegistry& params, const std::string& kind,
                                       const Vector& query, const Vectors& memory,
                                       const QueryProduct& query_product) {
  Vector scores;
  for (const Vector& value : memory) scores.push_back(score(params, kind, query, value, query_product));
  AttentionReference out;
  out.weights = softmax(scores);
  out.context.assign(memory.front().size(), 0.0);
  for (size_t s = 0; s < memory.size(); ++s) {
    for (size_t d = 0; d < out.context.size(); ++d) out.context[d] += out.weights[s] * memory[s][d];
  }
  return out;
}

namespace {

// a = tanh([context; top]·W_c + b_c) with the context of `top` over `memory`.
Vector attentional_of(const ParamRegistry& params, const ModelConfig& config, const Vector& top,
                      const Vectors& memory) {
  const Vector context =
      reference_attention(params, attention_name(config.decoder.attention), top, memory).context;
  return tanh_of(affine(concat(context, top), param_value(params, "decoder/combine/weight"),
                        &param_value(params, "decoder/combine/bias")));
}

// Input feeding: step by step, the first layer reading [embedding; a of the step before] (zeros at first).
Vectors reference_fed_decoder(const ParamRegistry& params, const ModelConfig& config,
                              const std::vector<int>& tgt_in, const InitialStateReference& initial,
                              const Vectors& memory) {
  const Vectors embedded = embed(param_value(params, "decoder/embedding/weight"), tgt_in);
  Vectors h = initial.h;
  Vectors c = initial.c;
  c.resize(h.size());
  Vector feed(static_cast<size_t>(config.decoder.hidden), 0.0);
  Vectors attentional;
  for (const Vector& e : embedded) {
    Vector x = concat(e, feed);
    for (size_t j = 0; j < h.size(); ++j) {
      rnn_step(params, "decoder/l" + std::to_string(j), config.decoder.cell, x, h[j], c[j]);
      x = h[j];
    }
    feed = attentional_of(params, config, h.back(), memory);
    attentional.push_back(feed);
  }
  return attentional;
}

}  // namespace

Vectors reference_decoder(const ParamRegistry& params, const ModelConfig& config,
                          const std::vector<int>& tgt_in, const InitialStateReference& initial,
                          const Vectors& memory) {
  const CellKind cell = config.decoder.cell;
  if (config.decoder.input_feeding) return reference_fed_decoder(params, config, tgt_in, initial, memory);
  Vectors h = embed(param_value(params, "decoder/embedding/weight"), tgt_in);
  for (int64_t j = 0; j < config.decoder.layers; ++j) {
    const Vector* c0 = initial.c.empty() ? nullptr : &initial.c[j];
    h = run_rnn(params, "decoder/l" + std::to_string(j), cell, h, &initial.h[j], c0);
  }
  if (config.decoder.attention == AttentionKind::kNone) return h;
  Vectors attentional;
  for (const Vector& top : h) attentional.push_back(attentional_of(params, config, top, memory));
  return attentional;
}

}  // namespace ferry
