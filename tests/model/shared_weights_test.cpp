// A network built over another's weights (a second translation worker) holds none of its own and steps
// exactly as the network whose weights it shares, at every precision.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/context.h"
#include "model/seq2seq.h"
#include "support/model_case.h"
#include "support/reference_math.h"

namespace ferry {
namespace {

class SharedWeightsTest : public ::testing::TestWithParam<Precision> {};

TEST_P(SharedWeightsTest, StepsAsTheNetworkItSharesWith) {
  if (GetParam() == Precision::kInt8 && !Context::has_int8_dot_products())
    GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  ModelConfig config = small_config({"lstm", 2, true, false}, {"lstm", 2, "mlp", "dense", false, true});
  config.precision = GetParam();
  Seq2Seq owner(config, kTestSrcVocab, kTestTgtVocab, 1, Seq2Seq::Use::kInference);
  randomize_parameters(owner.params(), 5);
  Seq2Seq shared(config, kTestSrcVocab, kTestTgtVocab, 0, Seq2Seq::Use::kInference, &owner.params());
  ASSERT_EQ(shared.params().size(), owner.params().size());
  for (size_t i = 0; i < owner.params().size(); ++i)
    EXPECT_EQ(shared.params().all()[i]->value.raw(), owner.params().all()[i]->value.raw())
        << owner.params().all()[i]->name;

  const Batch sources = random_batch({5, 2, 7}, {1, 1, 1}, 9);
  SearchState owner_state, shared_state;
  owner.begin_search(sources.src, sources.src_steps, sources.src_lengths, 2, owner_state);
  shared.begin_search(sources.src, sources.src_steps, sources.src_lengths, 2, shared_state);
  Tensor owner_log_probs, shared_log_probs;
  for (int t = 0; t < 4; ++t) {
    const std::vector<int> tokens(static_cast<size_t>(sources.size * 2), 4 + t);
    owner.search_step(tokens, owner_state, owner_log_probs);
    shared.search_step(tokens, shared_state, shared_log_probs);
    ASSERT_EQ(shared_log_probs.dims(), owner_log_probs.dims());
    for (int64_t r = 0; r < owner_log_probs.dim(0); ++r)
      EXPECT_EQ(row_of(shared_log_probs, r), row_of(owner_log_probs, r)) << "step " << t << ", row " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, SharedWeightsTest,
                         ::testing::Values(Precision::kF32, Precision::kBf16, Precision::kInt8),
                         [](const ::testing::TestParamInfo<Precision>& info) {
                           return std::string(precision_name(info.param));
                         });

}  // namespace
}  // namespace ferry
