// The output layer with 8-bit weights (precision int8): its log-probabilities follow the f32 layer's, tied to
// the target embeddings or not.
#include <gtest/gtest.h>

#include "core/context.h"
#include "decoder/output_layer.h"
#include "support/numeric.h"

namespace ferry {
namespace {

TEST(OutputLayerInt8, OutputLogProbsFollowF32TiedOrNot) {
  if (!Context::has_int8_dot_products()) GTEST_SKIP() << "this CPU has no 8-bit dot-product instructions";
  for (const bool tied : {false, true}) {
    ParamRegistry f32_params, int8_params;
    Embedding f32_table(f32_params, "emb", 50, 16, 0), int8_table(int8_params, "emb", 50, 16, 0);
    OutputLayer f32_out(f32_params, 16, 50, tied ? &f32_table : nullptr, Precision::kF32);
    OutputLayer int8_out(int8_params, 16, 50, tied ? &int8_table : nullptr, Precision::kInt8);
    for (Parameter* p : f32_params.all()) fill_random(p->value, 17 + p->value.numel(), 0.5f);
    for (Parameter* p : int8_params.all()) {
      p->value.copy_from(f32_params.get(p->name).value);
      p->changed();
    }
    const Tensor x = random_tensor({6, 16}, 18);
    Tensor f32_log_probs, int8_log_probs;
    f32_out.log_probs(x, f32_log_probs);
    int8_out.log_probs(x, int8_log_probs);
    EXPECT_TRUE(all_close(int8_log_probs, f32_log_probs, 0, 0.03)) << (tied ? "tied" : "untied");
  }
}

}  // namespace
}  // namespace ferry
