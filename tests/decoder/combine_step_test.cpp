// The search step's split combine layer against tanh([context; h]·W + b) in double, at each precision: the
// memory projected once (project_memory), a context of given weights summed over the projections, then the
// step. bf16 and 8-bit products are held to the error of their operands' rounding.
#include "decoder/combine_step.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/context.h"
#include "support/model_case.h"
#include "support/numeric.h"
#include "support/reference_math.h"

namespace ferry {
namespace {

constexpr int64_t kMemoryDim = 24, kHidden = 20, kSourceSteps = 5, kSentences = 3;

class CombineStepTest : public ::testing::TestWithParam<Precision> {};

TEST_P(CombineStepTest, MatchesTheWholeCombineLayer) {
  const Precision precision = GetParam();
  if (precision == Precision::kInt8 && !Context::has_int8_dot_products())
    GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  ParamRegistry params;
  Linear combine(params, "combine", kMemoryDim + kHidden, kHidden, true, Linear::Activation::kTanh, precision);
  randomize_parameters(params, 71);
  CombineStep step(combine, kMemoryDim, precision);
  const Tensor memory = random_tensor({kSourceSteps, kSentences, kMemoryDim}, 72);
  Tensor projected;
  step.project_memory(memory, projected);
  ASSERT_EQ(projected.dims(), (Dims{kSourceSteps, kSentences, kHidden}));

  // Row r attends over sentence r % kSentences with weights of its own.
  const int64_t rows = 6;
  const Tensor weights = random_tensor({rows, kSourceSteps}, 73);
  const Tensor top = random_tensor({rows, kHidden}, 74);
  Tensor projected_context({rows, kHidden});
  std::vector<Vector> contexts;
  for (int64_t r = 0; r < rows; ++r) {
    const Vectors states = column_of(memory, r % kSentences, kSourceSteps);
    const Vectors projections = column_of(projected, r % kSentences, kSourceSteps);
    Vector context(kMemoryDim, 0.0);
    for (int64_t s = 0; s < kSourceSteps; ++s) {
      const double w = weights.data()[r * kSourceSteps + s];
      for (int64_t d = 0; d < kMemoryDim; ++d) context[d] += w * states[s][d];
      for (int64_t j = 0; j < kHidden; ++j)
        projected_context.data()[r * kHidden + j] += static_cast<float>(w * projections[s][j]);
    }
    contexts.push_back(context);
  }
  Tensor out;
  step.step(projected_context, top, out);
  ASSERT_EQ(out.dims(), (Dims{rows, kHidden}));
  const double tolerance = precision == Precision::kF32 ? 1e-5 : precision == Precision::kBf16 ? 1e-2 : 1.5e-2;
  for (int64_t r = 0; r < rows; ++r) {
    const Vector expected = tanh_of(affine(concat(contexts[r], row_of(top, r)), param_value(params, "combine/weight"),
                                           &param_value(params, "combine/bias")));
    EXPECT_TRUE(vectors_close({row_of(out, r)}, {expected}, 0, tolerance)) << "row " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, CombineStepTest,
                         ::testing::Values(Precision::kF32, Precision::kBf16, Precision::kInt8),
                         [](const auto& info) { return std::string(precision_name(info.param)); });

}  // namespace
}  // namespace ferry
