// Attention of every kind against its naive reference, on both paths: whole target sequences (training) and
// one step of beam rows (search); and its backward against central differences of loss = sum(w * context)
// with fixed random w (so d_context = w), over every element of the queries', the memory's and each
// parameter's gradient. Source positions past a sentence's length hold values that must not matter, and get
// exactly zero gradient.
#include "decoder/attention.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/ops/arith.h"
#include "support/decoder_reference.h"
#include "support/model_case.h"
#include "support/numeric.h"

namespace ferry {
namespace {

constexpr int64_t kMemoryDim = 6;
constexpr int64_t kSourceSteps = 5;
const std::vector<int> kLengths = {5, 1, 3, 2};

class AttentionTest : public ::testing::TestWithParam<std::string> {
 protected:
  AttentionTest()
      : kind_(GetParam()),
        query_dim_(kind_ == "dot" ? kMemoryDim : 5),
        attention_(params_, parse_attention(kind_), query_dim_, kMemoryDim),
        // Random everywhere, pads included: masking must keep them out.
        memory_(random_tensor({kSourceSteps, static_cast<int64_t>(kLengths.size()), kMemoryDim}, 31)) {
    randomize_parameters(params_, 13, 0.6f);
  }

  // The reference for one query of sentence n.
  AttentionReference expected(const Vector& query, int64_t n) const {
    return reference_attention(params_, kind_, query, column_of(memory_, n, kLengths[n]));
  }

  // Weights over the whole source length S, zero past the sentence's length.
  static Vector padded(Vector weights) {
    weights.resize(kSourceSteps, 0.0);
    return weights;
  }

  // The backward pass against central differences of loss = sum(w * context), on the memory_ of the test;
  // with `new_padding`, then the loss with new values at the memory's padding positions.
  void expect_backward_matches_finite_differences(bool new_padding) {
    const int64_t steps = 2, batch = static_cast<int64_t>(kLengths.size());
    Tensor queries = random_tensor({steps, batch, query_dim_}, 34);
    const Tensor loss_weights = random_tensor({steps, batch, kMemoryDim}, 35);
    Tensor context;
    const auto loss = [&] {
      attention_.forward(queries, memory_, kLengths, context);
      return weighted_sum(context, loss_weights);
    };
    Tensor d_queries(queries.dims()), d_memory(memory_.dims());
    params_.zero_grads();
    loss();
    attention_.backward(loss_weights, d_queries, d_memory);
    EXPECT_TRUE(zero_after(d_memory, kLengths, "memory gradient"));
    EXPECT_TRUE(every_gradient_element_matches(queries, d_queries, loss, "queries"));
    EXPECT_TRUE(every_gradient_element_matches(memory_, d_memory, loss, "memory"));
    EXPECT_TRUE(every_parameter_gradient_matches(params_, loss));
    if (!new_padding) return;
    const double before = loss();
    fill_after(memory_, kLengths, 36);
    EXPECT_EQ(loss(), before) << "new values at the padding positions of the memory";
  }

  std::string kind_;
  int64_t query_dim_;
  ParamRegistry params_;
  Attention attention_;
  Tensor memory_;
};

TEST_P(AttentionTest, WholeSequencesMatchReference) {
  const int64_t steps = 3, batch = static_cast<int64_t>(kLengths.size());
  const Tensor queries = random_tensor({steps, batch, query_dim_}, 32);
  Tensor context;
  attention_.forward(queries, memory_, kLengths, context);
  ASSERT_EQ(context.dims(), (Dims{steps, batch, kMemoryDim}));
  const Tensor& weights = attention_.weights();  // {N, T, S}
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t n = 0; n < batch; ++n) {
      SCOPED_TRACE("step " + std::to_string(t) + ", sentence " + std::to_string(n));
      const AttentionReference reference = expected(row_of(queries, t * batch + n), n);
      EXPECT_TRUE(vectors_close({row_of(context, t * batch + n)}, {reference.context}));
      EXPECT_TRUE(vectors_close({row_of(weights, n * steps + t)}, {padded(reference.weights)}));
    }
  }
}

TEST_P(AttentionTest, SearchStepMatchesReference) {
  const int64_t beam = 2, sentences = static_cast<int64_t>(kLengths.size());
  Attention::Memory prepared;
  attention_.prepare(memory_, kLengths, prepared);
  EXPECT_EQ(prepared.key_exps.empty(), kind_ != "mlp") << "mlp keys in range take the factored tanh";
  const Tensor queries = random_tensor({sentences * beam, query_dim_}, 33);
  Tensor context, weights;
  attention_.step(prepared, queries, beam, context, weights);
  ASSERT_EQ(context.dims(), (Dims{sentences * beam, kMemoryDim}));
  ASSERT_EQ(weights.dims(), (Dims{sentences * beam, kSourceSteps}));
  for (int64_t r = 0; r < sentences * beam; ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    const AttentionReference reference = expected(row_of(queries, r), r / beam);
    EXPECT_TRUE(vectors_close({row_of(context, r)}, {reference.context}));
    EXPECT_TRUE(vectors_close({row_of(weights, r)}, {padded(reference.weights)}));
  }
}

// Some query rows so large that the mlp's projected queries leave kTanhFactorLimit: those rows of the step
// take the tanh directly, the others the factored form.
TEST_P(AttentionTest, SearchStepWithSomeQueriesOutOfRangeMatchesReference) {
  const int64_t beam = 2, sentences = static_cast<int64_t>(kLengths.size());
  Attention::Memory prepared;
  attention_.prepare(memory_, kLengths, prepared);
  Tensor queries = random_tensor({sentences * beam, query_dim_}, 38);
  for (const int64_t r : {int64_t{1}, sentences * beam - 2}) {
    float* row = queries.data() + r * query_dim_;
    std::transform(row, row + query_dim_, row, [](float v) { return v * 400.0f; });
  }
  Tensor context, weights;
  attention_.step(prepared, queries, beam, context, weights);
  for (int64_t r = 0; r < sentences * beam; ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    const AttentionReference reference = expected(row_of(queries, r), r / beam);
    EXPECT_TRUE(vectors_close({row_of(context, r)}, {reference.context}));
    EXPECT_TRUE(vectors_close({row_of(weights, r)}, {padded(reference.weights)}));
  }
}

// Memory values large enough for mlp keys beyond kTanhFactorLimit: the tanh is then taken directly, on both
// paths.
TEST_P(AttentionTest, LargeMemoryMatchesReference) {
  scale_in_place(memory_, 100.0f);
  const int64_t beam = 2, sentences = static_cast<int64_t>(kLengths.size());
  Attention::Memory prepared;
  attention_.prepare(memory_, kLengths, prepared);
  EXPECT_TRUE(prepared.key_exps.empty());
  const Tensor queries = random_tensor({sentences * beam, query_dim_}, 37);
  Tensor step_context, step_weights, context;
  attention_.step(prepared, queries, beam, step_context, step_weights);
  attention_.forward(queries.reshaped({beam, sentences, query_dim_}), memory_, kLengths, context);
  for (int64_t r = 0; r < sentences * beam; ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    const AttentionReference reference = expected(row_of(queries, r), r / beam);
    EXPECT_TRUE(vectors_close({row_of(step_context, r)}, {reference.context}));
    EXPECT_TRUE(vectors_close({row_of(step_weights, r)}, {padded(reference.weights)}));
    const AttentionReference time_major = expected(row_of(queries, r), r % sentences);
    EXPECT_TRUE(vectors_close({row_of(context, r)}, {time_major.context}));
  }
}

TEST_P(AttentionTest, BackwardMatchesFiniteDifferences) { expect_backward_matches_finite_differences(true); }

// One padding position of the memory so large that the mlp's keys leave kTanhFactorLimit: the backward pass
// then takes the tanh directly, while the positions that count are as above.
TEST_P(AttentionTest, BackwardMatchesFiniteDifferencesWithKeysOutOfRange) {
  const int64_t sentence = 1, position = kSourceSteps - 1;  // past that sentence's length of 1
  float* padding = memory_.data() + (position * static_cast<int64_t>(kLengths.size()) + sentence) * kMemoryDim;
  std::fill(padding, padding + kMemoryDim, 1000.0f);
  Attention::Memory prepared;
  attention_.prepare(memory_, kLengths, prepared);
  EXPECT_TRUE(prepared.key_exps.empty());
  expect_backward_matches_finite_differences(false);
}

INSTANTIATE_TEST_SUITE_P(Kinds, AttentionTest, ::testing::Values("dot", "general", "mlp"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ferry
