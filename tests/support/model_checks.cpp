#include "support/model_checks.h"

#include <gtest/gtest.h>

#include <string>

#include "support/model_case.h"
#include "support/model_reference.h"
#include "support/numeric.h"

namespace ferry {

void expect_loss_matches_reference(Seq2Seq& model, const Batch& batch) {
  for (float smoothing : {0.0f, 0.1f}) {
    const LossReference expected = reference_batch_loss(model.params(), model.config(), batch, smoothing);
    for (bool training : {false, true}) {
      SCOPED_TRACE(std::string(training ? "training" : "inference") + ", smoothing " +
                   std::to_string(smoothing));
      const LossSum loss = model.forward(batch, training, smoothing);
      EXPECT_EQ(loss.tokens, expected.tokens);
      EXPECT_NEAR(loss.loss, expected.loss, kReferenceRtol * expected.loss);
    }
  }
}

void expect_every_gradient_matches(Seq2Seq& model, const Batch& batch, float label_smoothing) {
  ParamRegistry& params = model.params();
  randomize_parameters(params, 9);
  constexpr uint64_t kDropoutStep = 4;
  const auto loss = [&] {
    mark_changed(params);
    model.set_dropout_step(kDropoutStep);
    const LossSum sum = model.forward(batch, true, label_smoothing);
    return sum.loss / static_cast<double>(sum.tokens);
  };
  params.zero_grads();
  loss();
  model.backward();
  for (Parameter* p : params.all()) {
    const Tensor analytic = p->grad.clone();
    EXPECT_TRUE(gradient_matches(p->value, analytic, loss, p->name, 1e-2, 5e-3, 5e-5, 32));
  }
}

}  // namespace ferry
